using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Server.Tests.Cluster;

/// <summary>Rooms whose members are on different nodes: messages once and in order everywhere, catch-up, membership and topic.</summary>
[TestClass]
public sealed class ClusterRoomTests
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    [TestMethod]
    public async Task MessagesSentToARoomFromThreeNodesReachEveryMemberOnceAndInPositionOrder()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        var carol = await cluster.LoginAsync("carol", "n3");
        await OpenRoomAsync(alice, bob, carol);

        await SayAsync(alice, "from n1", 1);
        await SayAsync(bob, "from n2", 2);
        await SayAsync(carol, "from n3", 3);

        foreach (var member in new[] { alice, bob, carol })
        {
            foreach (var text in new[] { "from n1", "from n2", "from n3" })
            {
                await member.Link.ExpectAsync(FrameType.RoomMessageEvent, Json.RoomMessageEvent, m => m.Text == text);
            }
            var shown = member.Link.All(FrameType.RoomMessageEvent, Json.RoomMessageEvent);
            Assert.HasCount(3, shown, $"{member.Name} saw each message once");
            CollectionAssert.AreEqual(shown.Select(m => m.Position).Order().ToArray(), shown.Select(m => m.Position).ToArray(), $"{member.Name} saw them in position order");
        }
    }

    [TestMethod]
    public async Task AMemberWhoMovesToAnotherNodeCatchesUpOnWhatWasSentWhileItsLinkWasDown()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        await OpenRoomAsync(alice, bob);
        await cluster["n2"].Lifecycle.ConnectionLostAsync(bob.Session, bob.Link);

        await SayAsync(alice, "while you moved", 1);
        await alice.Link.ExpectAsync(FrameType.RoomMessageEvent, Json.RoomMessageEvent, m => m.Text == "while you moved");
        var (moved, _) = await cluster.ResumeAsync(bob, "n3");

        Assert.IsNotNull(moved);
        var caughtUp = await moved.Link.ExpectAsync(FrameType.RoomMessageEvent, Json.RoomMessageEvent, m => m.Text == "while you moved");
        Assert.IsTrue(caughtUp.WasStored, "read from the log by the catch-up");
        await SayAsync(alice, "live again", 2);
        await moved.Link.ExpectAsync(FrameType.RoomMessageEvent, Json.RoomMessageEvent, m => m.Text == "live again");
        Assert.HasCount(2, moved.Link.All(FrameType.RoomMessageEvent, Json.RoomMessageEvent));
    }

    [TestMethod]
    public async Task AKickByTheOwnerOnOneNodeRemovesAndTellsAMemberOnAnotherNode()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        await OpenRoomAsync(alice, bob);

        await alice.RequestAsync(FrameType.RoomKick, new RoomKickRequest("#ops", "bob"), Json.RoomKickRequest);

        await bob.Link.ExpectAsync(FrameType.RoomNotice, Json.RoomNotice, n => n.Text == "You were removed from #ops by alice.");
        await SayAsync(bob, "still here?", 5);
        Assert.AreEqual(Reasons.NotAMember, (await bob.RefusalAsync()).Reason);
        await SayAsync(alice, "after the kick", 6);
        await alice.Link.ExpectAsync(FrameType.RoomMessageEvent, Json.RoomMessageEvent, m => m.Text == "after the kick");
        await alice.SendAsync("bob", 1, "barrier"); // n2 has read everything n1 said before this
        await bob.ReceiveAsync("alice", 1);
        Assert.IsEmpty(bob.Link.All(FrameType.RoomMessageEvent, Json.RoomMessageEvent).Where(m => m.Text == "after the kick"));
    }

    [TestMethod]
    public async Task ATopicSetOnOneNodeIsToldToMembersOnAnotherNodeAndItsListsShowTheTopicAndWhoIsOnlineOnEveryNode()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        await OpenRoomAsync(alice, bob);

        await alice.RequestAsync(FrameType.RoomSettings, new RoomSettingsRequest("#ops", Topic: "deploy at five"), Json.RoomSettingsRequest);

        await bob.Link.ExpectAsync(FrameType.RoomNotice, Json.RoomNotice, n => n.Text == "alice set the topic of #ops: deploy at five");
        await bob.RequestAsync(FrameType.ListRooms, new ListRoomsRequest(), Json.ListRoomsRequest);
        var listed = (await bob.Link.ExpectAsync(FrameType.RoomList, Json.RoomList)).Rooms.Single();
        Assert.AreEqual("deploy at five", listed.Topic);
        Assert.AreEqual(2, listed.Members);
        await bob.RequestAsync(FrameType.RoomMembers, new RoomMembersRequest("#ops"), Json.RoomMembersRequest);
        var members = (await bob.Link.ExpectAsync(FrameType.RoomMemberList, Json.RoomMemberList)).Members;
        CollectionAssert.AreEqual(new[] { "alice:online:owner", "bob:online:" },
            members.Select(m => $"{m.User}:{(m.Online ? "online" : "offline")}:{(m.IsOwner ? "owner" : "")}").ToArray());
    }

    /// <summary>The first user creates #ops; each other joins once its node knows the room, and the creator sees it join.</summary>
    private static async Task OpenRoomAsync(TestUser owner, params TestUser[] others)
    {
        await owner.RequestAsync(FrameType.JoinRoom, new JoinRoomRequest("#ops"), Json.JoinRoomRequest);
        await owner.Link.ExpectAsync(FrameType.Response, Json.Response, r => r.Message.StartsWith("You created #ops", StringComparison.Ordinal));
        var barrier = 1000L;
        foreach (var member in others)
        {
            await owner.SendAsync(member.Name, ++barrier, "barrier"); // its node has read the room's creation before this
            await member.ReceiveAsync(owner.Name, barrier);
            await member.RequestAsync(FrameType.JoinRoom, new JoinRoomRequest("#ops"), Json.JoinRoomRequest);
            await member.Link.ExpectAsync(FrameType.Response, Json.Response, r => r.Message.StartsWith("You joined #ops", StringComparison.Ordinal));
            await owner.Link.ExpectAsync(FrameType.RoomNotice, Json.RoomNotice, n => n.Text == $"{member.Name} joined #ops");
        }
    }

    private static Task SayAsync(TestUser sender, string text, long messageId) =>
        sender.RequestAsync(FrameType.RoomMessage, new RoomMessageRequest("#ops", text, messageId), Json.RoomMessageRequest);
}
