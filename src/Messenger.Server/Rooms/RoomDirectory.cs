using System.Collections.Concurrent;
using Messenger.Protocol;
using Messenger.Server.Storage;

namespace Messenger.Server.Rooms;

/// <summary>
/// Every room, by name (without case) and by id, and the rooms each user belongs to. Lookups are lock-free; the
/// per-user index is guarded by <see cref="gate"/> and handed out as copies. Creation and removal are serialized by
/// <see cref="Creation"/>, so two users creating one name get one room.
/// </summary>
public sealed class RoomDirectory
{
    private readonly ConcurrentDictionary<string, Room> byName = new(RoomNames.Comparer);
    private readonly ConcurrentDictionary<long, Room> byId = new();
    private readonly Dictionary<string, HashSet<Room>> byUser = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public RoomDirectory(IEnumerable<RoomRecord> records)
    {
        foreach (var record in records)
        {
            Add(new Room(record));
        }
    }

    public SemaphoreSlim Creation { get; } = new(1, 1);

    public Room? Find(string name) => byName.GetValueOrDefault(name);

    public Room? Find(long id) => byId.GetValueOrDefault(id);

    public IEnumerable<Room> All => byName.Values;

    public int Count => byName.Count;

    public void Add(Room room)
    {
        byName[room.Name] = room;
        byId[room.Id] = room;
        foreach (var member in room.Members)
        {
            Joined(member.User, room);
        }
    }

    /// <summary>Forgets a removed room (its members lose it from their lists).</summary>
    public void Remove(Room room)
    {
        byName.TryRemove(room.Name, out _);
        byId.TryRemove(room.Id, out _);
        lock (gate)
        {
            foreach (var rooms in byUser.Values)
            {
                rooms.Remove(room);
            }
        }
    }

    public void Joined(string user, Room room)
    {
        lock (gate)
        {
            if (!byUser.TryGetValue(user, out var rooms))
            {
                byUser[user] = rooms = [];
            }
            rooms.Add(room);
        }
    }

    public void Left(string user, Room room)
    {
        lock (gate)
        {
            if (byUser.TryGetValue(user, out var rooms))
            {
                rooms.Remove(room);
            }
        }
    }

    /// <summary>The rooms <paramref name="user"/> belongs to (a copy).</summary>
    public Room[] RoomsOf(string user)
    {
        lock (gate)
        {
            return byUser.TryGetValue(user, out var rooms) ? [.. rooms] : [];
        }
    }
}
