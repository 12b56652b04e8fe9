using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Admin;

namespace Messenger.Server.Tests.Cluster;

/// <summary>The operator's console on one node of three: users, kick and notices reach every node's users.</summary>
[TestClass]
public sealed class ClusterOperatorTests
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    [TestMethod]
    public async Task UsersAndStatsOnOneNodesConsoleShowTheUsersOfEveryNodeWithTheNodeHoldingThem()
    {
        var (cluster, _, _, _) = await InProcessCluster.AliceBobAndCarolOnThreeNodesAsync(); // n1 has heard of both others' logins
        await using var _ = cluster;

        var (console, output) = ConsoleOf(cluster, "n1");
        await console.ExecuteAsync("users");

        CollectionAssert.AreEqual(new[] { "alice", "bob (on n2)", "carol (on n3)" }, Lines(output));
        await console.ExecuteAsync("stats");
        StringAssert.EndsWith(Lines(output)[^1], "users=1 routed=0 stored=0 history-dropped=0 node=n1 live-nodes=n1,n2,n3 users-elsewhere=2");
    }

    [TestMethod]
    public async Task KickOnOneNodeEndsASessionHeldByAnotherNodeAndItsUsersSeeTheLogout()
    {
        var (cluster, alice, bob) = await InProcessCluster.AliceOnN1AndBobOnN2Async();
        await using var _ = cluster;
        var (console, output) = ConsoleOf(cluster, "n1");

        await console.ExecuteAsync("kick bob");

        Assert.AreEqual("bob was disconnected.", Lines(output).Single());
        var ended = await bob.Link.ExpectAsync(FrameType.SessionEnded, Json.SessionEnded);
        Assert.AreEqual(Reasons.Kicked, ended.Reason);
        Assert.IsFalse(bob.Link.IsOpen);
        Assert.IsNull(cluster["n2"].Sessions.Find("bob"));
        await alice.PresenceAsync("bob", PresenceKind.LoggedOut);
    }

    [TestMethod]
    public async Task KickOfSomeoneOnlineNowhereSaysSoWithoutAskingAnyNode()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var (console, output) = ConsoleOf(cluster, "n1");

        await console.ExecuteAsync("kick dave");

        Assert.AreEqual("dave is not online.", Lines(output).Single());
    }

    [TestMethod]
    public async Task KickOfAUserWhoseNodeDoesNotAnswerSaysTheUserMayStillBeOnline()
    {
        var (cluster, _, bob) = await InProcessCluster.AliceOnN1AndBobOnN2Async();
        await using var _ = cluster;
        cluster.Network.Hold("n2"); // n2 hears nothing until released: the kick waits for its answer
        var (console, output) = ConsoleOf(cluster, "n1");

        var kicking = console.ExecuteAsync("kick bob");
        Assert.IsFalse(kicking.IsCompleted, "the kick waits for n2's answer");
        cluster.Clock.Advance(InProcessCluster.Settings.TakeoverTimeout);
        await kicking;

        Assert.AreEqual("The node holding bob's session did not answer; bob may still be online.", Lines(output).Single());
        Assert.IsTrue(bob.Link.IsOpen);
    }

    [TestMethod]
    public async Task ANoticeFromOneNodesConsoleReachesTheUsersOfEveryNode()
    {
        var (cluster, alice, bob, carol) = await InProcessCluster.AliceBobAndCarolOnThreeNodesAsync();
        await using var _ = cluster;
        var (console, output) = ConsoleOf(cluster, "n1");

        await console.ExecuteAsync("broadcast maintenance at noon");

        Assert.AreEqual("Notice sent to 3 user(s).", Lines(output).Single());
        foreach (var user in new[] { alice, bob, carol })
        {
            Assert.AreEqual("maintenance at noon", (await user.Link.ExpectAsync(FrameType.Notice, Json.Notice)).Text, user.Name);
        }
    }

    private static (ServerConsole Console, StringWriter Output) ConsoleOf(InProcessCluster cluster, string node)
    {
        var output = new StringWriter();
        return (new ServerConsole(cluster[node], output, () => Task.CompletedTask), output);
    }

    private static string[] Lines(StringWriter output) =>
        output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
