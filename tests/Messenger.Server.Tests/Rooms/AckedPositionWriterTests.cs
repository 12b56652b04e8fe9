using Messenger.Server.Rooms;
using Messenger.Server.Storage;
using Messenger.Server.Tests.Storage.Sqlite;

namespace Messenger.Server.Tests.Rooms;

/// <summary>Acknowledged positions: coalesced in memory, written together when flushed.</summary>
[TestClass]
public sealed class AckedPositionWriterTests : SqliteStoreTestBase
{
    [TestMethod]
    public async Task AFlushWritesEachMarkedMembersLatestPositionAndTheNextFlushOnlyWhatChangedSince()
    {
        var created = await Store.CreateRoomAsync("#team", "alice", T0, 0);
        await Store.AddMemberAsync(created.RoomId, "bob", 0, null);
        var room = new Room((await Store.LoadRoomsAsync()).Single());
        var writer = new AckedPositionWriter(Store);
        var alice = room.FindMember("alice")!;
        var bob = room.FindMember("bob")!;

        foreach (var position in new long[] { 3, 5, 4 })
        {
            alice.Acknowledge(position);
            writer.Acknowledged(room, alice);
        }
        await writer.FlushAsync();
        var commits = Store.Commits;
        await writer.FlushAsync();
        Assert.AreEqual(commits, Store.Commits, "nothing marked, nothing written");
        bob.Acknowledge(7);
        writer.Acknowledged(room, bob);
        await writer.FlushAsync();

        var members = (await Reopen().LoadRoomsAsync()).Single().Members;
        CollectionAssert.AreEqual(new[] { new RoomMemberRecord("alice", members[0].JoinOrder, 5), new RoomMemberRecord("bob", members[1].JoinOrder, 7) },
            members.ToArray());
    }
}
