using Messenger.Protocol;
using Messenger.Protocol.Contracts;
using Messenger.Server.Dispatch;

namespace Messenger.Server.Rooms;

/// <summary>The checks room requests share; each returns the refusal (one line for the user), or null when it passes.</summary>
public sealed class RoomRules(RoomDirectory rooms)
{
    public static Reply? CheckName(string name) => RoomNames.IsValid(name)
        ? null
        : Reply.Refuse(StatusCode.BadRequest, $"Invalid room name '{name}': {RoomNames.Description}.", Reasons.BadRoomName);

    /// <summary>The room, if it exists and <paramref name="user"/> may see it (public, a member, or invited).</summary>
    public Reply? FindVisible(string name, string user, out Room room)
    {
        room = null!;
        if (CheckName(name) is { } bad)
        {
            return bad;
        }
        if (rooms.Find(name) is not { } found)
        {
            return UnknownRoom(name);
        }
        if (!found.IsVisibleTo(user))
        {
            return Reply.Refuse(StatusCode.Forbidden, $"{found.Name} is private; only its members can see it.", Reasons.PrivateRoom);
        }
        room = found;
        return null;
    }

    /// <summary>The room, if it exists and <paramref name="user"/> belongs to it.</summary>
    public Reply? FindMembership(string name, string user, out Room room)
    {
        if (FindVisible(name, user, out room) is { } refusal)
        {
            return refusal is { Status: StatusCode.Forbidden } ? NotAMember(name) : refusal;
        }
        return room.FindMember(user) is null ? NotAMember(room.Name) : null;
    }

    /// <summary>The room, if <paramref name="user"/> owns it.</summary>
    public Reply? FindOwned(string name, string user, out Room room)
    {
        if (FindMembership(name, user, out room) is { } refusal)
        {
            return refusal;
        }
        return room.Owner == user
            ? null
            : Reply.Refuse(StatusCode.Forbidden, $"Only the owner of {room.Name} ({room.Owner}) can do that.", Reasons.NotOwner);
    }

    public static Reply UnknownRoom(string name) => Reply.Refuse(StatusCode.NotFound, $"There is no room {name}.", Reasons.UnknownRoom);

    private static Reply NotAMember(string name) => Reply.Refuse(StatusCode.Forbidden, $"You are not in {name}.", Reasons.NotAMember);
}
