using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>Rooms, members in join order, owners, invitations, topics, modes and acknowledged positions.</summary>
public abstract class RoomsContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [TestMethod]
    public async Task ARoomWithItsOwnerMembersTopicModeAndInvitationsSurvivesAReopen()
    {
        var created = await Store.CreateRoomAsync("#Team", "alice", T0, ackedPosition: 0);
        await Store.AddMemberAsync(created.RoomId, "bob", 0, newOwner: null);
        await Store.SetTopicAsync(created.RoomId, "release on Friday");
        await Store.SetPrivateAsync(created.RoomId, true);
        await Store.AddInvitationAsync(created.RoomId, "carol", "alice", T0);

        var room = (await (await ReopenAsync()).LoadRoomsAsync()).Single();

        Assert.AreEqual("#Team", room.Name);
        Assert.AreEqual("alice", room.Owner);
        Assert.IsTrue(room.IsPrivate);
        Assert.AreEqual("release on Friday", room.Topic);
        Assert.AreEqual(T0, room.CreatedAt);
        CollectionAssert.AreEqual(new[] { "alice", "bob" }, room.Members.Select(m => m.User).ToArray(), "members in join order");
        Assert.IsLessThan(room.Members[1].JoinOrder, room.Members[0].JoinOrder);
        CollectionAssert.AreEqual(new[] { "carol" }, room.Invited.ToArray());
    }

    [TestMethod]
    public async Task RoomNamesAreUniqueWithoutRegardToCase()
    {
        await Store.CreateRoomAsync("#team", "alice", T0, 0);

        await Assert.ThrowsAsync<System.Data.Common.DbException>(async () => await Store.CreateRoomAsync("#TEAM", "bob", T0, 0));
        Assert.HasCount(1, await Store.LoadRoomsAsync());
    }

    [TestMethod]
    public async Task JoiningUsesUpTheInvitationAndCanMakeTheJoinerOwner()
    {
        var created = await Store.CreateRoomAsync("#team", "alice", T0, 0);
        await Store.AddInvitationAsync(created.RoomId, "bob", "alice", T0);
        await Store.RemoveMemberAsync(created.RoomId, "alice", newOwner: null);
        Assert.IsNull((await Store.LoadRoomsAsync()).Single().Owner, "a room without members has no owner");

        await Store.AddMemberAsync(created.RoomId, "bob", 0, newOwner: "bob");

        var room = (await (await ReopenAsync()).LoadRoomsAsync()).Single();
        Assert.AreEqual("bob", room.Owner);
        Assert.IsEmpty(room.Invited);
        CollectionAssert.AreEqual(new[] { "bob" }, room.Members.Select(m => m.User).ToArray());
    }

    [TestMethod]
    public async Task LeavingHandsOwnershipToTheGivenMemberAndARejoinComesLast()
    {
        var created = await Store.CreateRoomAsync("#team", "alice", T0, 0);
        await Store.AddMemberAsync(created.RoomId, "bob", 0, null);
        await Store.AddMemberAsync(created.RoomId, "carol", 0, null);

        await Store.RemoveMemberAsync(created.RoomId, "alice", newOwner: "bob");
        await Store.AddMemberAsync(created.RoomId, "alice", 0, null);

        var room = (await (await ReopenAsync()).LoadRoomsAsync()).Single();
        Assert.AreEqual("bob", room.Owner);
        CollectionAssert.AreEqual(new[] { "bob", "carol", "alice" }, room.Members.Select(m => m.User).ToArray());
    }

    [TestMethod]
    public async Task AcknowledgedPositionsAreWrittenTogetherAndOnlyMoveForward()
    {
        var created = await Store.CreateRoomAsync("#team", "alice", T0, ackedPosition: 5);
        await Store.AddMemberAsync(created.RoomId, "bob", 5, null);

        await Store.SetAckedPositionsAsync([new(created.RoomId, "alice", 9), new(created.RoomId, "bob", 6)]);
        await Store.SetAckedPositionsAsync([new(created.RoomId, "alice", 7), new(created.RoomId, "nobody", 8)]);

        var members = (await (await ReopenAsync()).LoadRoomsAsync()).Single().Members;
        CollectionAssert.AreEqual(new long[] { 9, 6 }, members.Select(m => m.AckedPosition).ToArray());
    }

    [TestMethod]
    public async Task RemovingARoomTakesItsMembersInvitationsAndMessagesAndKeepsOtherRooms()
    {
        var gone = await Store.CreateRoomAsync("#gone", "alice", T0, 0);
        var kept = await Store.CreateRoomAsync("#kept", "alice", T0, 0);
        await Store.AddInvitationAsync(gone.RoomId, "bob", "alice", T0);
        await Store.AppendRoomMessageAsync(gone.RoomId, "alice", 1, "bye", T0);
        var keptPosition = await Store.AppendRoomMessageAsync(kept.RoomId, "alice", 2, "stay", T0);

        await Store.RemoveRoomAsync(gone.RoomId);

        var rooms = await (await ReopenAsync()).LoadRoomsAsync();
        Assert.AreEqual("#kept", rooms.Single().Name);
        Assert.AreEqual(keptPosition, rooms.Single().LastPosition);
        Assert.IsEmpty(await Store.LoadRoomMessagesAsync(gone.RoomId, 0, 10));
        // A new room never gets the removed one's id back (AUTOINCREMENT), so no stale position can point into it.
        Assert.IsGreaterThan(kept.RoomId, (await Store.CreateRoomAsync("#gone", "bob", T0, 0)).RoomId);
    }
}
