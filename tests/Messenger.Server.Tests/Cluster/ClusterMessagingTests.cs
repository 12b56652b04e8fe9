using Messenger.Protocol.Contracts;

namespace Messenger.Server.Tests.Cluster;

/// <summary>Three nodes in process: messages, presence, whoelse and blocks between users on different nodes.</summary>
[TestClass]
public sealed class ClusterMessagingTests
{
    [TestMethod]
    public async Task MessageToAUserOnAnotherNodeIsShownOnceAndTheSenderHearsDeliveredOnlyAfterTheAck()
    {
        var (cluster, alice, bob) = await InProcessCluster.AliceOnN1AndBobOnN2Async();
        await using var _ = cluster;

        await alice.SendAsync("bob", 1, "across nodes");
        var incoming = await bob.Link.ExpectAsync(Protocol.Framing.FrameType.IncomingMessage, ProtocolJsonContext.Default.IncomingMessage);
        Assert.IsEmpty(alice.Link.All(Protocol.Framing.FrameType.SendResult, ProtocolJsonContext.Default.SendResult), "no outcome before bob's client acknowledged");
        await cluster["n2"].Acks.AcknowledgeAsync(bob.Session, [incoming.DeliveryId]);

        Assert.AreEqual(DeliveryOutcome.Delivered, (await alice.OutcomeAsync(1)).Outcome);
        Assert.AreEqual("across nodes", incoming.Text);
        Assert.AreEqual(1, bob.TimesShown("alice", 1));
        Assert.AreEqual(0, cluster["n1"].Cluster!.Routing.InFlightCount);
    }

    [TestMethod]
    public async Task MessageToAnOfflineUserIsStoredAndShownWhenItLogsInOnAnotherNode()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");

        await alice.SendAsync("dave", 7, "while you were away");
        Assert.AreEqual(DeliveryOutcome.Stored, (await alice.OutcomeAsync(7)).Outcome);
        var dave = await cluster.LoginAsync("dave", "n3");

        Assert.AreEqual("while you were away", (await dave.ReceiveAsync("alice", 7)).Text);
    }

    [TestMethod]
    public async Task AMessageSentBeforeTheSendersNodeHeardOfTheRecipientsLoginIsStoredAndStillShownAtOnce()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        cluster.Network.Hold("n1");             // n2's news of bob's login has not reached n1 yet
        var bob = await cluster.LoginAsync("bob", "n2");

        await alice.SendAsync("bob", 4, "racing the login");
        Assert.AreEqual(DeliveryOutcome.Stored, (await alice.OutcomeAsync(4)).Outcome);
        cluster.Network.Release("n1");

        var incoming = await bob.ReceiveAsync("alice", 4);
        Assert.IsTrue(incoming.WasStored);
    }

    [TestMethod]
    public async Task ALoginOnOneNodeIsAnnouncedOnTheOthersAndWhoElseListsUsersOfEveryNode()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");

        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);
        await cluster.LoginAsync("carol", "n3");
        await bob.PresenceAsync("carol", PresenceKind.LoggedIn);

        CollectionAssert.AreEqual(new[] { "bob", "carol" }, await alice.WhoElseAsync());
    }

    [TestMethod]
    public async Task ABlockOnOneNodeRefusesMessagesSentFromAnotherNode()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);

        Assert.AreEqual(StatusCode.Ok, (await bob.BlockAsync("alice")).Status);
        await alice.SendAsync("bob", 3, "let me in");

        var refusal = await alice.RefusalAsync();
        Assert.AreEqual(Reasons.BlockedByRecipient, refusal.Reason);
        Assert.AreEqual(0, bob.TimesShown("alice", 3));
    }

    [TestMethod]
    public async Task APasswordLoginOnAnotherNodeIsRefusedWhileTheSessionIsAttached()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        await cluster.LoginAsync("bob", "n2");

        var link = new WatchedLink();
        var second = await cluster["n1"].Logins.LoginAsync(link, 1, new LoginRequest("bob", AnyPasswordCredentials.Password));

        Assert.IsNull(second);
        var refusal = await link.ExpectAsync(Protocol.Framing.FrameType.Response, ProtocolJsonContext.Default.Response);
        Assert.AreEqual(Reasons.AlreadyLoggedIn, refusal.Reason);
    }

    [TestMethod]
    public async Task ABroadcastReachesUsersOfEveryNodeButThoseWhoBlockedTheSenderAndCountsThem()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        var carol = await cluster.LoginAsync("carol", "n3");
        var dave = await cluster.LoginAsync("dave", "n3");
        await dave.BlockAsync("alice");
        var erin = await cluster.LoginAsync("erin", "n3");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);
        await alice.PresenceAsync("erin", PresenceKind.LoggedIn); // n1 has heard everything n3 said before, dave's block too

        await alice.BroadcastAsync("to everyone");

        var result = await alice.Link.ExpectAsync(Protocol.Framing.FrameType.BroadcastResult, ProtocolJsonContext.Default.BroadcastResult);
        Assert.AreEqual(3, result.Recipients, "bob, carol and erin");
        Assert.IsTrue(result.SkippedByBlock);
        await bob.Link.ExpectAsync(Protocol.Framing.FrameType.IncomingMessage, ProtocolJsonContext.Default.IncomingMessage, m => m.Text == "to everyone");
        await carol.Link.ExpectAsync(Protocol.Framing.FrameType.IncomingMessage, ProtocolJsonContext.Default.IncomingMessage, m => m.Text == "to everyone");
        await alice.SendAsync("erin", 1, "barrier"); // n3 reads n1's items in order: the broadcast was handled before this
        await erin.ReceiveAsync("alice", 1);
        Assert.AreEqual(1, erin.Link.All(Protocol.Framing.FrameType.IncomingMessage, ProtocolJsonContext.Default.IncomingMessage).Count(m => m.Text == "to everyone"));
        Assert.IsEmpty(dave.Link.All(Protocol.Framing.FrameType.IncomingMessage, ProtocolJsonContext.Default.IncomingMessage));
    }

    [TestMethod]
    public async Task AnInvisibleUserOfOneNodeIsLeftOutOfWhoElseOnTheOtherNodesUntilVisibleAgain()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        var carol = await cluster.LoginAsync("carol", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);

        await SetInvisibleAsync(bob, on: true);
        await bob.SendAsync("alice", 1, "barrier"); // n1 reads n2's items in order: the change was applied before this
        await alice.ReceiveAsync("bob", 1);
        CollectionAssert.AreEqual(new[] { "carol" }, await alice.WhoElseAsync());

        await SetInvisibleAsync(bob, on: false);
        await bob.SendAsync("alice", 2, "barrier");
        await alice.ReceiveAsync("bob", 2);
        CollectionAssert.AreEqual(new[] { "alice", "bob" }, await carol.WhoElseAsync(), "each user asks once: WhoElseAsync reads the first list");
    }

    private static Task SetInvisibleAsync(TestUser user, bool on) =>
        user.RequestAsync(Protocol.Framing.FrameType.Invisible, new InvisibleRequest(on), ProtocolJsonContext.Default.InvisibleRequest);
}
