using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Cluster;

namespace Messenger.Server.Tests.Cluster;

/// <summary>What the sender's node keeps in flight for a forwarded message, found by the number its deliver carried.</summary>
[TestClass]
public sealed class ClusterInFlightTests
{
    [TestMethod]
    public async Task AnAnswerCompletesTheMessageOnlyWithTheNumberItsDeliverCarriedAndFromTheNodeItWasSentTo()
    {
        var (cluster, alice, _) = await InProcessCluster.AliceOnN1AndBobOnN2Async();
        await using var _ = cluster;
        DeliverItem? forwarded = null;
        cluster.Network.Drop = (_, _, item) => item is DeliverItem deliver && (forwarded = deliver) is not null; // n2 never gets it

        await alice.SendAsync("bob", 5, "numbered");
        Assert.IsNotNull(forwarded);
        var n1 = cluster["n1"].Cluster!;
        await n1.ReceiveAsync(new OutcomeItem(forwarded.Ref, DeliveryOutcome.Delivered) { From = "n3" });
        await n1.ReceiveAsync(new OutcomeItem(forwarded.Ref + 1, DeliveryOutcome.Delivered) { From = "n2" });

        Assert.IsEmpty(alice.Link.All(FrameType.SendResult, ProtocolJsonContext.Default.SendResult), "a wrong node or number answers nothing");
        Assert.AreEqual(1, n1.Routing.InFlightCount);
        await n1.ReceiveAsync(new OutcomeItem(forwarded.Ref, DeliveryOutcome.Delivered) { From = "n2" });
        Assert.AreEqual(DeliveryOutcome.Delivered, (await alice.OutcomeAsync(5)).Outcome);
        Assert.AreEqual(0, n1.Routing.InFlightCount);
    }

    [TestMethod]
    public async Task ANodeStartedAgainNumbersItsForwardingsAwayFromItsPreviousLife()
    {
        var firsts = new List<long>();
        for (var life = 0; life < 2; life++)
        {
            var (cluster, alice, _) = await InProcessCluster.AliceOnN1AndBobOnN2Async();
            await using var _ = cluster;
            DeliverItem? forwarded = null;
            cluster.Network.Drop = (_, _, item) => item is DeliverItem deliver && (forwarded = deliver) is null;

            await alice.SendAsync("bob", 1, "first of this life");
            firsts.Add(forwarded!.Ref);
        }

        // An answer still on its way to a restarted node must not meet a forwarding of its new life: its numbers
        // start anywhere below 2^62, so two lives' first numbers are (almost surely) billions apart.
        Assert.IsGreaterThan(1_000_000_000L, Math.Abs(firsts[0] - firsts[1]));
    }
}
