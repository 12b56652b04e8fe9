using Messenger.Protocol.Transport;
using Messenger.Server.Sessions;

namespace Messenger.Server.Rooms;

/// <summary>Tells a room's online members (or one user) what happened in it: one frame for all, queued, never awaited.</summary>
public sealed class RoomNotices(SessionRegistry sessions)
{
    /// <summary>Cluster mode: every change and notice also goes to the other nodes; null on a single node.</summary>
    public IRemoteRooms? Remote { get; set; }

    /// <summary>A room was made here, which needs no notice: the other nodes still learn of it.</summary>
    public void Created(Room room) => Remote?.Changed(room.Id);

    /// <summary>Tells every member online except <paramref name="except"/> (on every node).</summary>
    public void Tell(Room room, string text, string? except = null)
    {
        TellHere(room, text, except);
        Remote?.Changed(room.Id, text, except);
    }

    /// <summary>Tells this node's members online except <paramref name="except"/>.</summary>
    public void TellHere(Room room, string text, string? except = null)
    {
        byte[]? frame = null;
        foreach (var member in room.Members)
        {
            if (member.User != except && sessions.Find(member.User)?.Link is { } link)
            {
                link.TrySend(frame ??= RoomFrames.Notice(room.Name, text), OutboundLane.Bulk);
            }
        }
    }

    /// <summary>Tells one user, if online with a client that understands rooms (an older one would take the frame for a broken one).</summary>
    public void TellUser(string user, Room room, string text)
    {
        TellUserHere(user, room, text);
        Remote?.Changed(room.Id, text, toUser: user);
    }

    /// <summary>Tells one user of this node (as <see cref="TellUser"/>).</summary>
    public void TellUserHere(string user, Room room, string text)
    {
        if (sessions.Find(user) is { UnderstandsRooms: true, Link: { } link })
        {
            link.TrySend(RoomFrames.Notice(room.Name, text), OutboundLane.Bulk);
        }
    }
}
