using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Cluster;

namespace Messenger.Server.Tests.Cluster;

/// <summary>
/// A node that lost its lease (no heartbeat recorded for DeadAfter: paused, stalled, or cut off from the record) fences
/// itself: it closes its client links with a notice the client shows, and rejoins; its users come back once each.
/// </summary>
[TestClass]
public sealed class ClusterFencingTests
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private static TimeSpan DeadAfter => InProcessCluster.Settings.DeadAfter;

    [TestMethod]
    public async Task ANodePausedPastTheGracePeriodFencesItselfAndItsUsersLogInAgainToSeeWhatWasSentMeanwhileOnce()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var (alice, bob, carol) = await AliceBobAndCarolOnThreeNodesAsync(cluster);

        var handled = await StopN2WithAMessageWaitingAsync(cluster, alice, DeadAfter + cluster.Options.ResumeGracePeriod + TimeSpan.FromSeconds(1));
        await carol.PresenceAsync("bob", PresenceKind.LoggedOut);
        await alice.SendAsync("bob", 2, "after the cluster logged bob out");
        await ContinueN2Async(cluster, bob, handled);

        Assert.AreEqual(0, bob.TimesShown("alice", 1), "n2 hands nothing from the bus to a session it no longer serves");
        Assert.IsNull(cluster["n2"].Sessions.Find("bob"), "the cluster had logged bob out: n2 lets the session go");
        var (resumed, refusal) = await cluster.ResumeAsync(bob, "n3");
        Assert.IsNull(resumed);
        Assert.AreEqual(Reasons.BadResumeToken, (await refusal.ExpectAsync(FrameType.Response, Json.Response)).Reason, "so the client logs in with its password");
        var again = await cluster.LoginAsync("bob", "n3");
        await again.ReceiveAsync("alice", 1);
        await again.ReceiveAsync("alice", 2);
        CollectionAssert.Contains(await alice.WhoElseAsync(), "bob");
        CollectionAssert.Contains(await carol.WhoElseAsync(), "bob");
        await alice.SendAsync("bob", 3, "live again");
        await again.ReceiveAsync("alice", 3);

        Assert.AreEqual(1, again.TimesShown("alice", 1));
        Assert.AreEqual(1, again.TimesShown("alice", 2));
        AssertFencedWithAWarningOnly(cluster);
    }

    [TestMethod]
    public async Task ANodePausedPastDeadAfterFencesItselfAndItsUsersResumeThereWithoutALogoutSeeingWhatWasSentMeanwhileOnce()
    {
        var (cluster, alice, bob, carol, handled) = await N2StoppedPastDeadAfterAsync();
        await using var _ = cluster;
        await alice.SendAsync("bob", 2, "while n2 was dead");
        Assert.AreEqual(DeliveryOutcome.Stored, (await alice.OutcomeAsync(2)).Outcome);
        await ContinueN2Async(cluster, bob, handled);

        var (resumed, _) = await cluster.ResumeAsync(bob, "n2"); // the client reconnects to the node it was on
        Assert.IsNotNull(resumed, "within the grace period the session waits for its client, as after a dropped link");
        await resumed.ReceiveAsync("alice", 1);
        await resumed.ReceiveAsync("alice", 2);
        await cluster.AdvanceAsync(cluster.Options.SweepInterval); // n1 and n3 see n2 alive again
        await alice.SendAsync("bob", 3, "live again");
        await resumed.ReceiveAsync("alice", 3);

        Assert.AreEqual(1, resumed.TimesShown("alice", 3));
        Assert.AreEqual(0, bob.TimesShown("alice", 1) + bob.TimesShown("alice", 2), "the fenced link was shown neither");
        Assert.AreEqual(1, resumed.TimesShown("alice", 1));
        Assert.AreEqual(1, resumed.TimesShown("alice", 2));
        Assert.IsFalse(alice.SawPresence("bob", PresenceKind.LoggedOut), "bob resumed within the grace: nobody sees a logout");
        CollectionAssert.Contains(await carol.WhoElseAsync(), "bob");
        AssertFencedWithAWarningOnly(cluster);
    }

    [TestMethod]
    public async Task ANodeThatReadsTheBusBeforeItsFirstSweepAfterAPauseFencesBeforeHandingAnythingToItsSessions()
    {
        var (cluster, _, bob, _, handled) = await N2StoppedPastDeadAfterAsync();
        await using var _ = cluster;
        cluster.Network.Release("n2"); // SIGCONT: its reader runs before its timer does (no sweep here)

        await handled.WaitAsync(TimeSpan.FromSeconds(10));
        await ExpectFencedAsync(bob.Link);
        Assert.AreEqual(0, bob.TimesShown("alice", 1), "a copy already stored is not shown on the old link too");
        AssertFencedWithAWarningOnly(cluster);
    }

    [TestMethod]
    public async Task ANodeWhoseHeartbeatsFailForDeadAfterFencesItselfRefusesLoginsAndRejoinsOnceTheyWorkAgain()
    {
        var (cluster, alice, bob) = await InProcessCluster.AliceOnN1AndBobOnN2Async();
        await using var _ = cluster;

        cluster.Record.FailHeartbeatsOf = "n2";
        await cluster.AdvanceAsync(DeadAfter - cluster.Options.SweepInterval);
        Assert.IsTrue(bob.Link.IsOpen, "within its lease n2 serves on");
        await cluster.AdvanceAsync(cluster.Options.SweepInterval);
        await ExpectFencedAsync(bob.Link);
        var (refused, link) = await cluster.ResumeAsync(bob, "n2");
        Assert.IsNull(refused, "a fenced node that cannot rejoin takes no session");
        await ExpectFencedAsync(link);
        await alice.SendAsync("bob", 1, "while n2 was cut off");
        Assert.AreEqual(DeliveryOutcome.Stored, (await alice.OutcomeAsync(1)).Outcome);

        cluster.Record.FailHeartbeatsOf = null;
        await cluster.AdvanceAsync(cluster.Options.SweepInterval);
        var (resumed, _) = await cluster.ResumeAsync(bob, "n2");
        Assert.IsNotNull(resumed, "rejoined: the session waited for its client");
        await resumed.ReceiveAsync("alice", 1);
        Assert.IsTrue(cluster.Log.Warnings.Any(line => line.Contains("heartbeat", StringComparison.Ordinal)), "each failed heartbeat is a warning");
        AssertFencedWithAWarningOnly(cluster);
    }

    [TestMethod]
    public async Task ANodePausedForJustUnderDeadAfterIsNotFencedAndDeliversWhatWaitedForIt()
    {
        var (cluster, alice, bob) = await InProcessCluster.AliceOnN1AndBobOnN2Async();
        await using var _ = cluster;

        await StopN2WithAMessageWaitingAsync(cluster, alice, DeadAfter - cluster.Options.SweepInterval);
        cluster.Clock.Advance(cluster.Options.SweepInterval - TimeSpan.FromMilliseconds(1));
        await cluster.SweepAsync(); // n1: n2's last heartbeat is 1 ms short of DeadAfter old, so n2 is alive
        cluster.Continue("n2");
        await cluster.SweepAsync(); // n2 within its lease: it renews it

        await bob.ReceiveAsync("alice", 1); // on the link n2 kept serving
        // Delivered, or stored behind the backlog bob's login was still reading (a race of real time): either way shown once.
        CollectionAssert.Contains(new[] { DeliveryOutcome.Delivered, DeliveryOutcome.Stored }, (await alice.OutcomeAsync(1)).Outcome);
        await cluster.AdvanceAsync(DeadAfter);
        Assert.AreEqual(1, bob.TimesShown("alice", 1));
        Assert.IsTrue(bob.Link.IsOpen);
        Assert.IsEmpty(bob.Link.All(FrameType.Response, Json.Response).Where(r => r.Reason == Reasons.Fenced).ToList());
        Assert.IsFalse(cluster.Log.Warnings.Any(line => line.Contains("fenc", StringComparison.OrdinalIgnoreCase)));
    }

    private static async Task<(TestUser Alice, TestUser Bob, TestUser Carol)> AliceBobAndCarolOnThreeNodesAsync(InProcessCluster cluster)
    {
        var alice = await cluster.LoginAsync("alice", "n1");
        var carol = await cluster.LoginAsync("carol", "n3");
        var bob = await cluster.LoginAsync("bob", "n2");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);
        await carol.PresenceAsync("bob", PresenceKind.LoggedIn);
        return (alice, bob, carol);
    }

    /// <summary>Three nodes and three users, n2 stopped past DeadAfter with message 1 waiting for it, which n1 stored when it found n2 dead.</summary>
    private static async Task<(InProcessCluster Cluster, TestUser Alice, TestUser Bob, TestUser Carol, Task Handled)> N2StoppedPastDeadAfterAsync()
    {
        var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var (alice, bob, carol) = await AliceBobAndCarolOnThreeNodesAsync(cluster);
        var handled = await StopN2WithAMessageWaitingAsync(cluster, alice, DeadAfter + TimeSpan.FromSeconds(1));
        Assert.AreEqual(DeliveryOutcome.Stored, (await alice.OutcomeAsync(1)).Outcome);
        return (cluster, alice, bob, carol, handled);
    }

    /// <summary>
    /// SIGSTOP of n2 with message 1 from alice to bob waiting for it on the bus, while the others sweep for
    /// <paramref name="stoppedFor"/>. Returns a task that completes once n2 has answered that message (it reads it when it runs again).
    /// </summary>
    private static async Task<Task> StopN2WithAMessageWaitingAsync(InProcessCluster cluster, TestUser alice, TimeSpan stoppedFor)
    {
        cluster.Pause("n2");
        await alice.SendAsync("bob", 1, "waiting on the bus for n2");
        await cluster.AdvanceAsync(stoppedFor);
        return AnsweredBy(cluster, "n2", "n1");
    }

    /// <summary>SIGCONT of n2 and its first sweep: bob's link is fenced, and n2 has read what waited for it.</summary>
    private static async Task ContinueN2Async(InProcessCluster cluster, TestUser bob, Task handled)
    {
        cluster.Continue("n2");
        await cluster.AdvanceAsync(cluster.Options.SweepInterval);
        await ExpectFencedAsync(bob.Link);
        await handled.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Completes when <paramref name="from"/> answers <paramref name="to"/> the outcome of a message it was sent (the bus's knob, observing only).</summary>
    private static Task AnsweredBy(InProcessCluster cluster, string from, string to)
    {
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.Network.Drop = (sender, receiver, item) =>
        {
            if (sender == from && receiver == to && item is OutcomeItem)
            {
                answered.TrySetResult();
            }
            return false;
        };
        return answered.Task;
    }

    /// <summary>The node told the client why (a closing Response the client shows) and closed the link; the client reconnects.</summary>
    private static async Task ExpectFencedAsync(WatchedLink link)
    {
        var notice = await link.ExpectAsync(FrameType.Response, Json.Response, r => r.Reason == Reasons.Fenced);
        Assert.AreEqual(StatusCode.Unavailable, notice.Status);
        StringAssert.Contains(notice.Message, "reconnect");
        Assert.IsFalse(link.IsOpen);
    }

    private static void AssertFencedWithAWarningOnly(InProcessCluster cluster)
    {
        Assert.IsTrue(cluster.Log.Warnings.Any(line => line.Contains("fenc", StringComparison.OrdinalIgnoreCase)), "fencing is logged as a warning");
        Assert.IsEmpty(cluster.Log.Errors.ToList(), string.Join(Environment.NewLine, cluster.Log.Errors));
    }
}
