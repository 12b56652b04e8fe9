using Messenger.Protocol;
using Messenger.Server.Rooms;
using Messenger.Server.Storage;

namespace Messenger.Server.Cluster;

/// <summary>
/// Rooms between nodes. The room's state and log are in the shared store (PostgreSQL); the bus only says that something
/// changed: a <see cref="RoomChangedEvent"/> makes every node reload that room and show the notice to its own members,
/// a <see cref="RoomAppendedEvent"/> wakes every node's <see cref="RoomTail"/>, which reads the log in position order
/// and fans out to its own members with the single node's cursors (exactly once per link, catch-up unchanged).
/// </summary>
public sealed class ClusterRooms(IClusterBus bus, IRoomStore store, RoomDirectory rooms, RoomMirror mirror, RoomTail tail, RoomNotices notices) : IRemoteRooms
{
    public void Changed(long roomId, string? text = null, string? except = null, string? toUser = null) =>
        bus.Publish(new RoomChangedEvent(roomId, text, except, toUser));

    public void Appended(long roomId) => bus.Publish(new RoomAppendedEvent(roomId));

    /// <summary>This node's commit: fanned out by the tail here, and every other node's tail is woken.</summary>
    public void Committed(Room room)
    {
        tail.Wake(room.Id);
        Appended(room.Id);
    }

    /// <summary>Another node changed a room: reloaded from the store (a read of every room: changes are rare), then told here.</summary>
    public async Task ChangedElsewhereAsync(RoomChangedEvent change)
    {
        if (await mirror.ApplyAsync(change.RoomId, () => LoadAsync(change.RoomId)) is not { } room || change.Text is not { } text)
        {
            return;
        }
        if (change.ToUser is { } user)
        {
            notices.TellUserHere(user, room, text);
        }
        else
        {
            notices.TellHere(room, text, change.Except);
        }
    }

    public async Task<Room?> FindAsync(string name)
    {
        var record = (await store.LoadRoomsAsync()).FirstOrDefault(r => RoomNames.Comparer.Equals(r.Name, name));
        return record is null ? null : await mirror.ApplyAsync(record.Id, () => LoadAsync(record.Id));
    }

    private async Task<RoomRecord?> LoadAsync(long roomId) => (await store.LoadRoomsAsync()).FirstOrDefault(r => r.Id == roomId);

    public void AppendedElsewhere(RoomAppendedEvent appended) => tail.Wake(appended.RoomId);

    /// <summary>A node died or the bus lost its data: events about commits may be lost, so every room's log is read once more.</summary>
    public void WakeAll()
    {
        foreach (var room in rooms.All)
        {
            tail.Wake(room.Id);
        }
    }

    /// <summary>Waits for the log reads still running (at stop).</summary>
    public Task DrainAsync(TimeSpan timeout) => tail.DrainAsync(timeout);
}
