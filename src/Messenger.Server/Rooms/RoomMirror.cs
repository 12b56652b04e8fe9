using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Rooms;

/// <summary>
/// Cluster mode: brings this node's copy of a room in line with the shared store after another node changed it
/// (created, joined, left, kicked, invited, topic, mode, removed). Members' acknowledged positions only grow (each node
/// writes behind those of its own users); the last position fanned out stays this node's own (<see cref="RoomTail"/>).
/// This node's users whose membership changed elsewhere get their link's cursor started or dropped, as a change here would.
/// </summary>
public sealed class RoomMirror(RoomDirectory rooms, SessionRegistry sessions)
{
    /// <summary>
    /// Applies the stored room (<paramref name="load"/> gives it; null: it is gone) and returns this node's copy, for the
    /// notice; null when there is none. The room is read under the room's <see cref="Room.Changes"/> lock, so a change
    /// made here meanwhile is in what is read: an older read can never undo a newer change.
    /// </summary>
    public async Task<Room?> ApplyAsync(long roomId, Func<Task<RoomRecord?>> load)
    {
        if (rooms.Find(roomId) is not { } room)
        {
            return await AddAsync(roomId, load);
        }
        await room.Changes.WaitAsync();
        try
        {
            if (await load() is not { } record)
            {
                lock (room.Log)
                {
                    room.Removed = true;
                }
                rooms.Remove(room);
                return room;
            }
            lock (room.Log)
            {
                (room.Owner, room.IsPrivate, room.Topic) = (record.Owner, record.IsPrivate, record.Topic);
                var stored = record.Members.Select(m => m.User).ToHashSet(StringComparer.Ordinal);
                foreach (var gone in room.Members.Where(m => !stored.Contains(m.User)).ToList())
                {
                    room.RemoveMember(gone.User);
                    rooms.Left(gone.User, room);
                    WithSession(gone.User, session => session.Rooms.Remove(room.Id));
                }
                foreach (var member in record.Members)
                {
                    if (room.FindMember(member.User) is { } known)
                    {
                        known.Acknowledge(member.AckedPosition); // Only grows: what another node wrote behind.
                    }
                    else
                    {
                        Join(room, new RoomMember(member.User, member.JoinOrder, member.AckedPosition));
                    }
                }
                foreach (var invited in record.Invited)
                {
                    room.Invite(invited);
                }
            }
        }
        finally
        {
            room.Changes.Release();
        }
        return room;
    }

    private async Task<Room?> AddAsync(long roomId, Func<Task<RoomRecord?>> load)
    {
        await rooms.Creation.WaitAsync();
        try
        {
            if (rooms.Find(roomId) is { } known)
            {
                return known;
            }
            if (await load() is not { } record)
            {
                return null;
            }
            var room = new Room(record with { Members = [] });
            rooms.Add(room);
            lock (room.Log)
            {
                foreach (var member in record.Members)
                {
                    Join(room, new RoomMember(member.User, member.JoinOrder, member.AckedPosition));
                }
            }
            return room;
        }
        finally
        {
            rooms.Creation.Release();
        }
    }

    /// <summary>Caller holds <see cref="Room.Log"/>: a member who is attached here goes live from the room's newest message.</summary>
    private void Join(Room room, RoomMember member)
    {
        room.AddMember(member);
        rooms.Joined(member.User, room);
        WithSession(member.User, session =>
        {
            if (session.Link is not null)
            {
                session.Rooms.StartLive(room.Id, room.LastPosition);
            }
        });
    }

    private void WithSession(string user, Action<Session> change)
    {
        if (sessions.Find(user) is { } session)
        {
            lock (session.Gate)
            {
                change(session);
            }
        }
    }
}
