using Messenger.Protocol.Contracts;

namespace Messenger.Server.Tests.Cluster;

/// <summary>Faults in process: a node killed with messages in flight, a client moving, the bus losing its data.</summary>
[TestClass]
public sealed class ClusterFailoverTests
{
    [TestMethod]
    public async Task AKilledNodesInFlightMessagesAreStoredAndItsUserResumesElsewhereSeeingThemOnceWithNoLogout()
    {
        var (cluster, alice, bob, carol) = await InProcessCluster.AliceBobAndCarolOnThreeNodesAsync();
        await using var _ = cluster;

        cluster.Network.Hold("n2");            // in flight: on the bus, not yet read by n2
        await alice.SendAsync("bob", 1, "one");
        await alice.SendAsync("bob", 2, "two");
        cluster.Kill("n2");
        await cluster.AdvanceAsync(InProcessCluster.Settings.DeadAfter + TimeSpan.FromSeconds(1));

        Assert.AreEqual(DeliveryOutcome.Stored, (await alice.OutcomeAsync(1)).Outcome);
        Assert.AreEqual(DeliveryOutcome.Stored, (await alice.OutcomeAsync(2)).Outcome);
        var (moved, _) = await cluster.ResumeAsync(bob, "n3");
        Assert.IsNotNull(moved, "bob's resume token works on another node");
        await moved.ReceiveAsync("alice", 1);
        await moved.ReceiveAsync("alice", 2);
        await cluster.AdvanceAsync(cluster.Options.ResumeGracePeriod + TimeSpan.FromSeconds(1));

        Assert.AreEqual(1, moved.TimesShown("alice", 1));
        Assert.AreEqual(1, moved.TimesShown("alice", 2));
        Assert.IsFalse(alice.SawPresence("bob", PresenceKind.LoggedOut), "bob resumed: nobody sees a logout");
        Assert.IsFalse(carol.SawPresence("bob", PresenceKind.LoggedOut));
        await alice.SendAsync("bob", 3, "three");
        await moved.ReceiveAsync("alice", 3);
        Assert.AreEqual(DeliveryOutcome.Delivered, (await alice.OutcomeAsync(3)).Outcome);
    }

    [TestMethod]
    public async Task MessagesInFlightToAKilledNodeReachTheResumedUserInTheOrderTheyWereSent()
    {
        var (cluster, alice, bob) = await InProcessCluster.AliceOnN1AndBobOnN2Async();
        await using var _ = cluster;
        // Ids as the client makes them (its clock's milliseconds * 1000 + a counter), whose hashes are not in id order.
        var sent = Enumerable.Range(1, 20).Select(i => 1_796_412_439_282_000L + i).ToArray();

        cluster.Network.Hold("n2");
        foreach (var id in sent)
        {
            await alice.SendAsync("bob", id, $"in flight {id}");
        }
        cluster.Kill("n2");
        await cluster.AdvanceAsync(InProcessCluster.Settings.DeadAfter + TimeSpan.FromSeconds(1));
        foreach (var id in sent)
        {
            Assert.AreEqual(DeliveryOutcome.Stored, (await alice.OutcomeAsync(id)).Outcome);
        }
        var (moved, _) = await cluster.ResumeAsync(bob, "n3");
        Assert.IsNotNull(moved);
        foreach (var id in sent)
        {
            await moved.ReceiveAsync("alice", id);
        }

        var shown = moved.Link.All(Protocol.Framing.FrameType.IncomingMessage, ProtocolJsonContext.Default.IncomingMessage)
            .Where(m => m.From == "alice").Select(m => m.MessageId).ToArray();
        CollectionAssert.AreEqual(sent, shown, "one sender's messages, stored when their node died, replay in the order sent");
    }

    [TestMethod]
    public async Task AResumeThatArrivesBeforeTheDeadNodeIsDeclaredDeadWaitsForItAndThenSucceeds()
    {
        var (cluster, alice, bob) = await InProcessCluster.AliceOnN1AndBobOnN2Async();
        await using var _ = cluster;

        cluster.Kill("n2");
        var resuming = cluster.ResumeAsync(bob, "n3"); // its client reconnected at once: n2 does not answer the takeover
        for (var step = 0; step < 100 && !resuming.IsCompleted; step++)
        {
            await cluster.AdvanceAsync(cluster.Options.SweepInterval);
            await Task.WhenAny(resuming, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }

        var (moved, _) = await resuming;
        Assert.IsNotNull(moved, "resumed once n2 was found dead");
        Assert.IsFalse(alice.SawPresence("bob", PresenceKind.LoggedOut));
    }

    [TestMethod]
    public async Task UsersOfADeadNodeWhoDoNotResumeAreLoggedOutForEveryoneAfterTheGracePeriod()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        await cluster.LoginAsync("bob", "n2");
        var carol = await cluster.LoginAsync("carol", "n3");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);

        cluster.Kill("n2");
        await cluster.AdvanceAsync(InProcessCluster.Settings.DeadAfter + TimeSpan.FromSeconds(1));
        Assert.IsFalse(alice.SawPresence("bob", PresenceKind.LoggedOut), "within the grace period bob may still resume");
        await cluster.AdvanceAsync(cluster.Options.ResumeGracePeriod);

        await alice.PresenceAsync("bob", PresenceKind.LoggedOut);
        await carol.PresenceAsync("bob", PresenceKind.LoggedOut);
        CollectionAssert.AreEqual(new[] { "carol" }, await alice.WhoElseAsync());
        Assert.IsNull(await cluster.Record.FindClaimAsync("bob"), "the claim is released once");
    }

    [TestMethod]
    public async Task AClientMovingToAnotherLiveNodeKeepsItsSessionAndTheOldNodeLetsGoWithoutALogout()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);

        var (moved, _) = await cluster.ResumeAsync(bob, "n3");

        Assert.IsNotNull(moved);
        Assert.IsFalse(bob.Link.IsOpen, "n2 closed the stale link");
        Assert.IsNull(cluster["n2"].Sessions.Find("bob"));
        await alice.SendAsync("bob", 5, "follow me");
        await moved.ReceiveAsync("alice", 5);
        // Delivered, or stored and replayed when n1 had not yet heard of the move: either way shown once.
        CollectionAssert.Contains(new[] { DeliveryOutcome.Delivered, DeliveryOutcome.Stored }, (await alice.OutcomeAsync(5)).Outcome);
        Assert.AreEqual(1, moved.TimesShown("alice", 5));
        Assert.IsFalse(alice.SawPresence("bob", PresenceKind.LoggedOut));
        Assert.AreEqual("n3", (await cluster.Record.FindClaimAsync("bob"))!.Node);
    }

    [TestMethod]
    public async Task AResumeWithAWrongTokenIsRefusedOnEveryNode()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var bob = await cluster.LoginAsync("bob", "n2");
        var forged = new TestUser(bob.Node, bob.Session, bob.Link, "not-the-token");

        var (resumed, link) = await cluster.ResumeAsync(forged, "n1");

        Assert.IsNull(resumed);
        Assert.AreEqual(Reasons.BadResumeToken, (await link.ExpectAsync(Protocol.Framing.FrameType.Response, ProtocolJsonContext.Default.Response)).Reason);
        Assert.IsNotNull(cluster["n2"].Sessions.Find("bob"), "bob's session stays where it is");
    }

    [TestMethod]
    public async Task WhenTheBusLosesItsDataEveryMessageInFlightIsStoredAndStillReachesItsRecipient()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");

        cluster.Network.Hold("n2");
        await alice.SendAsync("bob", 9, "lost on the bus");
        await cluster.Network.ResetAsync();
        cluster.Network.Release("n2");

        Assert.AreEqual(DeliveryOutcome.Stored, (await alice.OutcomeAsync(9)).Outcome);
        await bob.ReceiveAsync("alice", 9);
        Assert.AreEqual(1, bob.TimesShown("alice", 9));
    }
}
