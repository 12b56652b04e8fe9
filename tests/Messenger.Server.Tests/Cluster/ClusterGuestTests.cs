using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Server.Tests.Cluster;

/// <summary>Guests across nodes: named from the shared record's numbers, reachable from every node while online, gone for all when they leave.</summary>
[TestClass]
public sealed class ClusterGuestTests
{
    [TestMethod]
    public async Task GuestsLoggingInOnThreeNodesAllGetDifferentNames()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");

        var names = new List<string>();
        foreach (var node in new[] { "n1", "n2", "n3", "n1", "n2" })
        {
            names.Add(await cluster.GuestAsync(node));
        }

        Assert.HasCount(5, names.Distinct(), string.Join(", ", names));
        Assert.IsTrue(names.All(n => n.StartsWith("guest-", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task AGuestOnOneNodeIsAnnouncedListedAndMessagedByAUserOfAnotherNodeAndAnswersBack()
    {
        var (cluster, bob, guest) = await BobOnN2AndAGuestOnN1Async();
        await using var _ = cluster;

        CollectionAssert.Contains(await bob.WhoElseAsync(), guest.Name);
        await bob.SendAsync(guest.Name, 1, "welcome, guest");
        Assert.AreEqual("welcome, guest", (await guest.ReceiveAsync("bob", 1)).Text);
        Assert.AreEqual(DeliveryOutcome.Delivered, (await bob.OutcomeAsync(1)).Outcome);
        await guest.SendAsync("bob", 2, "thanks");
        Assert.AreEqual("thanks", (await bob.ReceiveAsync(guest.Name, 2)).Text);
    }

    [TestMethod]
    public async Task AGuestsLogoutIsAnnouncedOnOtherNodesWhichThenRefuseMessagesToItAndKeepNoLastSeen()
    {
        var (cluster, bob, guest) = await BobOnN2AndAGuestOnN1Async();
        await using var _ = cluster;

        await cluster["n1"].Lifecycle.EndSessionAsync(guest.Session, Reasons.LoggedOut);
        await bob.PresenceAsync(guest.Name, PresenceKind.LoggedOut);
        await bob.SendAsync(guest.Name, 3, "still there?");

        Assert.AreEqual(Reasons.GuestGone, (await bob.RefusalAsync()).Reason);
        await bob.RequestAsync(FrameType.WhoElse, new WhoElseRequest(SinceSeconds: 3600), ProtocolJsonContext.Default.WhoElseRequest);
        var since = await bob.Link.ExpectAsync(FrameType.UserList, ProtocolJsonContext.Default.UserList, _ => true);
        CollectionAssert.DoesNotContain(since.Users, guest.Name, "nothing is kept of a guest, on any node");
    }

    [TestMethod]
    public async Task AGuestWhoseNodeDiesResumesOnAnotherNodeStillAGuestWithNoLogoutSeen()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var bob = await cluster.LoginAsync("bob", "n3");
        var guest = await cluster.GuestLoginAsync("n1");
        await bob.PresenceAsync(guest.Name, PresenceKind.LoggedIn);

        cluster.Kill("n1");
        await cluster.AdvanceAsync(InProcessCluster.Settings.DeadAfter + TimeSpan.FromSeconds(1));
        var (moved, link) = await cluster.ResumeAsync(guest, "n2");

        Assert.IsNotNull(moved, "the guest's session moved to n2");
        Assert.IsTrue(moved.Session.IsGuest, "still a guest there (no rooms of its own, nothing kept)");
        Assert.IsTrue((await link.ExpectAsync(FrameType.LoginAccepted, ProtocolJsonContext.Default.LoginAccepted)).Resumed);
        await moved.SendAsync("bob", 1, "I am back"); // after the move's event on n3's bus, so n3 knows where the guest is now
        await bob.ReceiveAsync(guest.Name, 1);
        await cluster.AdvanceAsync(cluster.Options.ResumeGracePeriod + TimeSpan.FromSeconds(1));
        Assert.IsFalse(bob.SawPresence(guest.Name, PresenceKind.LoggedOut));
        await bob.SendAsync(guest.Name, 4, "after the move");
        Assert.AreEqual("after the move", (await moved.ReceiveAsync("bob", 4)).Text);
    }

    [TestMethod]
    public async Task AfterTheBusLostItsDataTheOtherNodesStillKnowWhereAGuestIs()
    {
        var (cluster, bob, guest) = await BobOnN2AndAGuestOnN1Async();
        await using var _ = cluster;

        await cluster["n2"].Cluster!.BusResetAsync(); // Redis restarted empty: n2 reloads the directory from the claims

        CollectionAssert.Contains(await bob.WhoElseAsync(), guest.Name);
    }

    /// <summary>Two nodes, bob on n2 and a guest on n1, and n2 has told bob of the guest's login.</summary>
    private static async Task<(InProcessCluster Cluster, TestUser Bob, TestUser Guest)> BobOnN2AndAGuestOnN1Async()
    {
        var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var bob = await cluster.LoginAsync("bob", "n2");
        var guest = await cluster.GuestLoginAsync("n1");
        await bob.PresenceAsync(guest.Name, PresenceKind.LoggedIn);
        return (cluster, bob, guest);
    }
}
