using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.IntegrationTests.Cluster;

/// <summary>
/// Cluster mode as it runs: three server processes on PostgreSQL and Redis on loopback, real clients, real faults
/// (kill -9 of a node, Redis killed and restarted empty).
/// </summary>
[TestClass]
[TestCategory("Cluster")]
public sealed class ClusterProcessTests
{
    [TestMethod]
    public async Task AMessageFromAUserOnOneNodeReachesAUserOnAnotherAndPresenceCrossesNodes()
    {
        await using var cluster = await ProcessCluster.StartAsync("n1", "n2", "n3");
        var bob = await cluster.ClientAsync("bob", "n2");
        var carol = await cluster.ClientAsync("carol", "n3");
        var alice = await cluster.ClientAsync("alice", "n1");
        await bob.Output.WaitForLineAsync("alice logged in");
        await carol.Output.WaitForLineAsync("alice logged in");

        alice.Type("message bob hello from n1");
        alice.Type("whoelse");

        await bob.Output.WaitForLineAsync("alice: hello from n1");
        await alice.Output.WaitForLineAsync("carol");
        Assert.AreEqual(1, ProcessCluster.TimesShown(bob, "alice: hello from n1"));
    }

    [TestMethod]
    public async Task ThreeWrongPasswordsSpreadOverThreeNodesLockTheNameOnEveryNode()
    {
        await using var cluster = await ProcessCluster.StartAsync("n1", "n2", "n3");
        var reasons = new List<string?>();
        foreach (var (node, password) in new[] { ("n1", "wrong"), ("n2", "wrong"), ("n3", "wrong"), ("n1", "alice-pass"), ("n2", "alice-pass") })
        {
            await using var raw = await RawConnection.ConnectAsync(cluster.PortOf(node), plaintext: true);
            await raw.SendAsync(FrameType.Login, 1, new LoginRequest("alice", password), ProtocolJsonContext.Default.LoginRequest);
            reasons.Add((await raw.ReadResponseAsync(1)).AsResponse()?.Reason);
        }

        CollectionAssert.AreEqual(new[] { Reasons.WrongPassword, Reasons.WrongPassword, Reasons.LockedOut, Reasons.StillLockedOut, Reasons.StillLockedOut },
            reasons.ToArray());
    }

    [TestMethod]
    public async Task KillDashNineOfANodeMidConversationLosesNothingShowsNothingTwiceAndLogsNobodyOut()
    {
        await using var cluster = await ProcessCluster.StartAsync("n1", "n2", "n3");
        var bob = await cluster.ClientAsync("bob", "n2", "n3");
        var carol = await cluster.ClientAsync("carol", "n3");
        var alice = await cluster.ClientAsync("alice", "n1");
        await bob.Output.WaitForLineAsync("alice logged in");
        await carol.Output.WaitForLineAsync("alice logged in");

        for (var i = 1; i <= 5; i++)
        {
            alice.Type($"message bob before {i}");
        }
        await bob.Output.WaitForLineAsync("alice: before 5");
        for (var i = 1; i <= 5; i++)
        {
            alice.Type($"message bob during {i}"); // some in flight to n2 as it dies
        }
        await cluster.KillAsync("n2");
        await bob.Output.WaitForLineAsync("Reconnected.");   // on n3, its session resumed there
        for (var i = 1; i <= 5; i++)
        {
            alice.Type($"message bob after {i}");
        }

        await ProcessCluster.WaitForAllAsync(bob, [.. Enumerable.Range(1, 5).SelectMany(i => new[] { $"alice: before {i}", $"alice: during {i}", $"alice: after {i}" })]);
        var shown = bob.Output.Lines.Where(l => l.StartsWith("alice: ", StringComparison.Ordinal)).ToList();
        Assert.HasCount(15, shown, "every message exactly once: " + string.Join(" | ", shown));
        Assert.IsFalse(carol.Output.Lines.Any(l => l.StartsWith("bob logged out", StringComparison.Ordinal)), "bob resumed: nobody saw a logout");
        Assert.IsFalse(alice.Output.Lines.Any(l => l.StartsWith("bob logged out", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task ANodeStoppedPastDeadAfterClosesItsClientsWithTheReasonWhenItContinuesAndTheyResumeSeeingEachMessageOnce()
    {
        await using var cluster = await ProcessCluster.StartAsync("n1", "n2");
        var (alice, bob) = await AliceOnN1AndBobOnN2Async(cluster);

        await cluster.Node("n2").SignalAsync("STOP");
        alice.Type("message bob while n2 is stopped"); // in flight to n2, stored by n1 when it finds n2 dead
        await cluster.Node("n1").Errors.WaitForLineAsync("Node n2 is dead");
        await cluster.Node("n2").SignalAsync("CONT");

        await bob.Output.WaitForLineAsync("out of touch with the cluster");
        await bob.Output.WaitForLineAsync("Reconnected.");
        alice.Type("message bob after n2 rejoined");
        await ProcessCluster.WaitForAllAsync(bob, ["alice: while n2 is stopped", "alice: after n2 rejoined"]);
        Assert.AreEqual(1, ProcessCluster.TimesShown(bob, "alice: while n2 is stopped"));
        Assert.AreEqual(1, ProcessCluster.TimesShown(bob, "alice: after n2 rejoined"));
        Assert.IsFalse(alice.Output.Lines.Any(l => l.StartsWith("bob logged out", StringComparison.Ordinal)), "bob resumed within the grace: no logout");
        await cluster.Node("n2").Errors.WaitForLineAsync("fenced");
    }

    [TestMethod]
    public async Task AClientTurnedAwayByAFencedNodeResumesOnTheNextNodeOfItsList()
    {
        await using var cluster = await ProcessCluster.StartAsync("n1", "n2");
        var bob = await cluster.ClientAsync("bob", "n2", "n1");
        var alice = await cluster.ClientAsync("alice", "n1");
        await bob.Output.WaitForLineAsync("alice logged in");

        await cluster.Node("n2").SignalAsync("STOP");
        await cluster.Node("n1").Errors.WaitForLineAsync("Node n2 is dead");
        await cluster.Node("n2").SignalAsync("CONT");

        await bob.Output.WaitForLineAsync("out of touch with the cluster");
        await bob.Output.WaitForLineAsync("Reconnected.");
        await cluster.KillAsync("n2"); // had bob gone back to n2, its link would drop now and it would reconnect again
        alice.Type("message bob on the node bob moved to");

        await bob.Output.WaitForLineAsync("alice: on the node bob moved to");
        Assert.AreEqual(1, bob.Output.Lines.Count(l => l.StartsWith("Connection to the server lost", StringComparison.Ordinal)),
            "bob's client moved on to n1 after the fence, so n2's death did not touch it");
    }

    [TestMethod]
    public async Task RedisKilledAndRestartedEmptyLosesNoMessageAndLiveTrafficResumes()
    {
        await using var cluster = await ProcessCluster.StartAsync("n1", "n2");
        var (alice, bob) = await AliceOnN1AndBobOnN2Async(cluster);
        alice.Type("message bob before the restart");
        await bob.Output.WaitForLineAsync("alice: before the restart");

        await cluster.Redis.KillAsync();
        alice.Type("message bob while redis is down");
        await cluster.Redis.StartAgainAsync();
        alice.Type("message bob after the restart");

        await ProcessCluster.WaitForAllAsync(bob, ["alice: while redis is down", "alice: after the restart"]);
        foreach (var text in new[] { "before the restart", "while redis is down", "after the restart" })
        {
            Assert.AreEqual(1, ProcessCluster.TimesShown(bob, $"alice: {text}"), text);
        }
    }

    [TestMethod]
    public async Task APrivateSessionAndARoomWorkBetweenUsersOfThreeDifferentNodes()
    {
        await using var cluster = await ProcessCluster.StartAsync("n1", "n2", "n3");
        var bob = await cluster.ClientAsync("bob", "n2");
        var carol = await cluster.ClientAsync("carol", "n3");
        var alice = await cluster.ClientAsync("alice", "n1");
        await bob.Output.WaitForLineAsync("alice logged in");

        alice.Type("startprivate bob");
        await alice.Output.WaitForLineAsync("Private session with bob started.");
        await bob.Output.WaitForLineAsync("Private session with alice started.");
        alice.Type("private bob peer to peer across nodes");
        await bob.Output.WaitForLineAsync("alice(private): peer to peer across nodes");

        alice.Type("join #ops");
        await alice.Output.WaitForLineAsync("You created #ops");
        foreach (var member in new[] { bob, carol })
        {
            member.Type("join #ops"); // its node may not have heard of #ops yet: it reads the shared store
            await member.Output.WaitForLineAsync("You joined #ops.");
        }
        await alice.Output.WaitForLineAsync("carol joined #ops");
        alice.Type("message #ops hello from n1");
        bob.Type("message #ops hello from n2");
        carol.Type("message #ops hello from n3");

        foreach (var member in new[] { alice, bob, carol })
        {
            await ProcessCluster.WaitForAllAsync(member, ["#ops alice: hello from n1", "#ops bob: hello from n2", "#ops carol: hello from n3"]);
            Assert.HasCount(3, member.Output.Lines.Where(l => l.StartsWith("#ops ", StringComparison.Ordinal)).ToList(), "each room message once");
        }
    }

    /// <summary>bob's client on n2 and alice's on n1, once bob has been told of alice's login.</summary>
    private static async Task<(ChildProcess Alice, ChildProcess Bob)> AliceOnN1AndBobOnN2Async(ProcessCluster cluster)
    {
        var bob = await cluster.ClientAsync("bob", "n2");
        var alice = await cluster.ClientAsync("alice", "n1");
        await bob.Output.WaitForLineAsync("alice logged in");
        return (alice, bob);
    }
}
