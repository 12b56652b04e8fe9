using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;
using Messenger.Server.Hosting;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Rooms;

/// <summary>
/// <c>join</c>, <c>leave</c>, <c>invite</c>, <c>kick</c>: who belongs to a room. Each change is checked and written
/// under the room's <see cref="Room.Changes"/> lock, answered once durable, and told to the members online.
/// </summary>
public sealed class RoomMembershipHandler(ServerOptions options, TimeProvider time, IRoomStore store, RoomDirectory rooms, RoomRules rules,
    RequestRules userRules, RoomNotices notices, SessionRegistry sessions) : IRequestRoutes
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    /// <summary>Cluster mode: rooms made on other nodes; null on a single node.</summary>
    public IRemoteRooms? Remote { get; set; }

    public void Map(FrameDispatcher dispatcher)
    {
        dispatcher.On(FrameType.JoinRoom, Json.JoinRoomRequest, (context, request) => JoinAsync(context.Session, request.Room));
        dispatcher.On(FrameType.LeaveRoom, Json.LeaveRoomRequest, (context, request) => LeaveAsync(context.Session, request.Room));
        dispatcher.On(FrameType.RoomInvite, Json.RoomInviteRequest, (context, request) => InviteAsync(context.Session, request));
        dispatcher.On(FrameType.RoomKick, Json.RoomKickRequest, (context, request) => KickAsync(context.Session, request));
    }

    private async ValueTask<Reply> JoinAsync(Session session, string name)
    {
        session.UnderstandsRooms = true; // It sent a room request: it reads room frames.
        if (RoomRules.CheckName(name) is { } bad)
        {
            return bad;
        }
        var user = session.User;
        if (rooms.RoomsOf(user).Length >= options.MaxRoomsPerUser)
        {
            return Reply.Refuse(StatusCode.Forbidden, $"You are in {options.MaxRoomsPerUser} rooms already, the most allowed; leave one first.", Reasons.TooManyRooms);
        }
        if ((rooms.Find(name) ?? (Remote is null ? null : await Remote.FindAsync(name))) is not { } room)
        {
            return session.IsGuest
                ? Reply.Refuse(StatusCode.Forbidden, $"There is no room {name}, and guests cannot create rooms; 'rooms' lists those you can join.", Reasons.GuestNotAllowed)
                : await CreateAsync(session, name);
        }
        await room.Changes.WaitAsync();
        try
        {
            if (room.Removed)
            {
                return RoomRules.UnknownRoom(name);
            }
            if (room.FindMember(user) is not null)
            {
                return Reply.Refuse(StatusCode.Conflict, $"You are already in {room.Name}.", Reasons.AlreadyMember);
            }
            if (room.IsPrivate && !room.Invited.Contains(user))
            {
                return Reply.Refuse(StatusCode.Forbidden, $"{room.Name} is private; only its owner can invite you.", Reasons.PrivateRoom);
            }
            if (room.Members.Length >= options.MaxMembersPerRoom)
            {
                return Reply.Refuse(StatusCode.Forbidden, $"{room.Name} is full ({options.MaxMembersPerRoom} members).", Reasons.RoomFull);
            }
            var becomesOwner = room.Owner is null;
            // A new member starts at the room's newest message: older ones are history, not a backlog.
            var joinOrder = await store.AddMemberAsync(room.Id, user, room.LastPosition, becomesOwner ? user : null);
            lock (room.Log)
            {
                room.AddMember(new RoomMember(user, joinOrder, room.LastPosition));
                room.Owner = becomesOwner ? user : room.Owner;
                StartLive(session, room);
            }
            rooms.Joined(user, room);
            notices.Tell(room, $"{user} joined {room.Name}", except: user);
            var topic = room.Topic.Length > 0 ? $" Topic: {room.Topic}" : "";
            return Reply.Ok(becomesOwner ? $"You joined {room.Name} and are its owner.{topic}" : $"You joined {room.Name}.{topic}");
        }
        finally
        {
            room.Changes.Release();
        }
    }

    private async ValueTask<Reply> CreateAsync(Session session, string name)
    {
        await rooms.Creation.WaitAsync();
        try
        {
            if (rooms.Find(name) is not null)
            {
                return await JoinAsync(session, name); // Created meanwhile by someone else: join it instead.
            }
            var created = await store.CreateRoomAsync(name, session.User, time.GetUtcNow(), ackedPosition: 0);
            var room = new Room(new RoomRecord(created.RoomId, name, session.User, false, "", time.GetUtcNow(), 0,
                [new RoomMemberRecord(session.User, created.OwnerJoinOrder, 0)], []));
            rooms.Add(room);
            lock (room.Log)
            {
                StartLive(session, room);
            }
            notices.Created(room);
            return Reply.Ok($"You created {name} and are its owner. Others join with 'join {name}'.");
        }
        finally
        {
            rooms.Creation.Release();
        }
    }

    private async ValueTask<Reply> LeaveAsync(Session session, string name)
    {
        if (rules.FindMembership(name, session.User, out var room) is { } refusal)
        {
            return refusal;
        }
        return await LeaveAsync(room, session.User)
            ? Reply.Ok($"You left {room.Name}.")
            : Reply.Refuse(StatusCode.Forbidden, $"You are not in {room.Name}.", Reasons.NotAMember);
    }

    /// <summary>A guest's session ended: it leaves every room (others are told), since its name may be reused.</summary>
    public async Task LeaveAllAsync(Session session)
    {
        foreach (var room in rooms.RoomsOf(session.User))
        {
            await LeaveAsync(room, session.User);
        }
    }

    /// <summary>Removes <paramref name="user"/> and tells the others (and who owns the room now); false when it was not a member.</summary>
    private async Task<bool> LeaveAsync(Room room, string user)
    {
        if (await RemoveAsync(room, user) is not { } outcome)
        {
            return false;
        }
        notices.Tell(room, $"{user} left {room.Name}");
        if (outcome.Changed && outcome.Owner is { } owner)
        {
            notices.Tell(room, $"{owner} is now the owner of {room.Name}");
        }
        return true;
    }

    private async ValueTask<Reply> InviteAsync(Session session, RoomInviteRequest request)
    {
        if ((rules.FindOwned(request.Room, session.User, out var room) ?? userRules.CheckTarget(session, request.User, "invite")) is { } refusal)
        {
            return refusal;
        }
        await room.Changes.WaitAsync();
        try
        {
            if (room.FindMember(request.User) is not null)
            {
                return Reply.Refuse(StatusCode.Conflict, $"{request.User} is already in {room.Name}.", Reasons.AlreadyMember);
            }
            await store.AddInvitationAsync(room.Id, request.User, session.User, time.GetUtcNow());
            room.Invite(request.User);
        }
        finally
        {
            room.Changes.Release();
        }
        notices.TellUser(request.User, room, $"{session.User} invited you to {room.Name}; type 'join {room.Name}' to join.");
        return Reply.Ok($"You invited {request.User} to {room.Name}.");
    }

    private async ValueTask<Reply> KickAsync(Session session, RoomKickRequest request)
    {
        if (rules.FindOwned(request.Room, session.User, out var room) is { } refusal)
        {
            return refusal;
        }
        if (request.User == session.User)
        {
            return Reply.Refuse(StatusCode.BadRequest, $"You cannot kick yourself; use 'leave {room.Name}'.", Reasons.Self);
        }
        if (await RemoveAsync(room, request.User) is null)
        {
            return Reply.Refuse(StatusCode.NotFound, $"{request.User} is not in {room.Name}.", Reasons.NotAMember);
        }
        notices.TellUser(request.User, room, $"You were removed from {room.Name} by {session.User}.");
        notices.Tell(room, $"{request.User} was removed from {room.Name} by {session.User}", except: session.User);
        return Reply.Ok($"You removed {request.User} from {room.Name}.");
    }

    /// <summary>
    /// Removes a member (durably first); an owner who goes hands the room to the longest-standing member. Returns the
    /// owner afterwards and whether it changed, or null when <paramref name="user"/> was not a member.
    /// </summary>
    private async Task<(string? Owner, bool Changed)?> RemoveAsync(Room room, string user)
    {
        await room.Changes.WaitAsync();
        try
        {
            if (room.FindMember(user) is null)
            {
                return null;
            }
            var owner = room.Owner == user ? room.NextOwner(user) : room.Owner;
            await store.RemoveMemberAsync(room.Id, user, owner);
            var changed = owner != room.Owner;
            lock (room.Log)
            {
                room.RemoveMember(user);
                room.Owner = owner;
                if (sessions.Find(user) is { } session)
                {
                    lock (session.Gate)
                    {
                        session.Rooms.Remove(room.Id);
                    }
                }
            }
            rooms.Left(user, room);
            return (owner, changed);
        }
        finally
        {
            room.Changes.Release();
        }
    }

    /// <summary>Caller holds <see cref="Room.Log"/>: live from the room's newest message on, if the user's client is attached.</summary>
    private static void StartLive(Session session, Room room)
    {
        lock (session.Gate)
        {
            if (session.Link is not null)
            {
                session.Rooms.StartLive(room.Id, room.LastPosition);
            }
        }
    }
}
