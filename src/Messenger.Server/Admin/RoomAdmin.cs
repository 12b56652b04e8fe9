using System.Globalization;
using System.Text;
using Messenger.Server.History;
using Messenger.Server.Rooms;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Admin;

/// <summary>The operator's room and history commands: <c>rooms</c>, <c>room</c>, <c>removeroom</c>, <c>purgehistory</c>.</summary>
public sealed class RoomAdmin(IRoomStore store, RoomDirectory rooms, RoomNotices notices, SessionRegistry sessions, HistoryRetention retention)
{
    /// <summary>One line per room: name, mode, members, owner, topic.</summary>
    public string ListRooms()
    {
        if (rooms.Count == 0)
        {
            return "No rooms.";
        }
        return string.Join(Environment.NewLine, rooms.All.OrderBy(r => r.Name, StringComparer.OrdinalIgnoreCase).Select(room =>
            string.Create(CultureInfo.InvariantCulture,
                $"{room.Name} ({(room.IsPrivate ? "private" : "public")}, {room.Members.Length} members, owner {room.Owner ?? "none"}){(room.Topic.Length > 0 ? " " + room.Topic : "")}")));
    }

    /// <summary>A room's owner, mode, topic, message count and members (online or not), or null when there is none.</summary>
    public string? DescribeRoom(string name)
    {
        if (rooms.Find(name) is not { } room)
        {
            return null;
        }
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{room.Name}: {(room.IsPrivate ? "private" : "public")}, owner {room.Owner ?? "none"}, last position {room.LastPosition}");
        text.AppendLine(CultureInfo.InvariantCulture, $"topic: {(room.Topic.Length > 0 ? room.Topic : "(none)")}");
        text.AppendLine(CultureInfo.InvariantCulture, $"invited: {(room.Invited.Count > 0 ? string.Join(", ", room.Invited.Order(StringComparer.Ordinal)) : "(none)")}");
        text.Append(CultureInfo.InvariantCulture, $"members ({room.Members.Length}):");
        foreach (var member in room.Members)
        {
            var online = sessions.Find(member.User) is not null ? "online" : "offline";
            text.Append(CultureInfo.InvariantCulture, $"{Environment.NewLine}  {member.User} ({online}, acknowledged up to {member.AckedPosition})");
        }
        return text.ToString();
    }

    /// <summary>Deletes a room with its history; its members are told. False when there is none.</summary>
    public async Task<bool> RemoveRoomAsync(string name)
    {
        await rooms.Creation.WaitAsync();
        try
        {
            if (rooms.Find(name) is not { } room)
            {
                return false;
            }
            await room.Changes.WaitAsync();
            try
            {
                lock (room.Log)
                {
                    room.Removed = true; // Nothing more is appended; appends already queued are deleted with the rest.
                }
                await store.RemoveRoomAsync(room.Id);
                rooms.Remove(room);
                notices.Tell(room, $"{room.Name} was removed by the server operator");
                foreach (var member in room.Members)
                {
                    if (sessions.Find(member.User) is { } session)
                    {
                        lock (session.Gate)
                        {
                            session.Rooms.Remove(room.Id);
                        }
                    }
                }
            }
            finally
            {
                room.Changes.Release();
            }
            return true;
        }
        finally
        {
            rooms.Creation.Release();
        }
    }

    public Task<int> PurgeHistoryAsync(string user) => retention.PurgeAsync(user);
}
