using Messenger.Server.Storage;
namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>Room messages: stored once, at growing positions, read after a position or as the latest few.</summary>
public abstract class RoomLogContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [TestMethod]
    public async Task MessagesAreReadBackAfterAPositionInOrderAndOnlyForTheirRoom()
    {
        var team = (await Store.CreateRoomAsync("#team", "alice", T0, 0)).RoomId;
        var other = (await Store.CreateRoomAsync("#other", "bob", T0, 0)).RoomId;
        var first = await Store.AppendRoomMessageAsync(team, "alice", 1, "one", T0);
        await Store.AppendRoomMessageAsync(other, "bob", 1, "elsewhere", T0);
        var second = await Store.AppendRoomMessageAsync(team, "bob", 2, "two", T0.AddSeconds(1));
        var third = await Store.AppendRoomMessageAsync(team, "alice", 3, "three", T0.AddSeconds(2));

        var afterFirst = await (await ReopenAsync()).LoadRoomMessagesAsync(team, first, 10);

        CollectionAssert.AreEqual(new[] { "two", "three" }, afterFirst.Select(m => m.Text).ToArray());
        CollectionAssert.AreEqual(new[] { second, third }, afterFirst.Select(m => m.Position).ToArray());
        Assert.AreEqual("bob", afterFirst[0].Sender);
        Assert.AreEqual(T0.AddSeconds(1), afterFirst[0].SentAt);
    }

    [TestMethod]
    public async Task APageIsLimitedAndTheNextStartsAfterItsLastPosition()
    {
        var room = (await Store.CreateRoomAsync("#team", "alice", T0, 0)).RoomId;
        for (var i = 1; i <= 5; i++)
        {
            await Store.AppendRoomMessageAsync(room, "alice", i, $"m{i}", T0);
        }

        var page = await Store.LoadRoomMessagesAsync(room, 0, 2);
        var next = await Store.LoadRoomMessagesAsync(room, page[^1].Position, 10);

        CollectionAssert.AreEqual(new[] { "m1", "m2" }, page.Select(m => m.Text).ToArray());
        CollectionAssert.AreEqual(new[] { "m3", "m4", "m5" }, next.Select(m => m.Text).ToArray());
    }

    [TestMethod]
    public async Task TheLatestMessagesComeOldestFirst()
    {
        var room = (await Store.CreateRoomAsync("#team", "alice", T0, 0)).RoomId;
        for (var i = 1; i <= 5; i++)
        {
            await Store.AppendRoomMessageAsync(room, "alice", i, $"m{i}", T0);
        }

        var recent = await Store.LoadRecentRoomMessagesAsync(room, 3);

        CollectionAssert.AreEqual(new[] { "m3", "m4", "m5" }, recent.Select(m => m.Text).ToArray());
    }

    [TestMethod]
    public async Task MessagesAppendedConcurrentlyGetDistinctGrowingPositionsInQueueOrder()
    {
        var room = (await Store.CreateRoomAsync("#team", "alice", T0, 0)).RoomId;

        // Queued together, they share group commits; queue order is position order (the room's fan-out relies on it).
        var appends = Enumerable.Range(1, 50).Select(i => Store.AppendRoomMessageAsync(room, "alice", i, $"m{i}", T0).AsTask()).ToArray();
        var positions = await Task.WhenAll(appends);

        CollectionAssert.AreEqual(positions.Order().ToArray(), positions);
        Assert.HasCount(50, positions.Distinct());
    }
}
