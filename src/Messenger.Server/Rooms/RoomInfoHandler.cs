using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Rooms;

/// <summary><c>rooms</c>, <c>members</c>, <c>topic</c> and <c>roommode</c>: what a room is, and its owner's settings.</summary>
public sealed class RoomInfoHandler(IRoomStore store, RoomDirectory rooms, RoomRules rules, RoomNotices notices, SessionRegistry sessions) : IRequestRoutes
{
    /// <summary>Longest topic, in characters.</summary>
    public const int MaxTopicLength = 200;

    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    public void Map(FrameDispatcher dispatcher)
    {
        dispatcher.On(FrameType.ListRooms, Json.ListRoomsRequest, (context, _) => ValueTask.FromResult(List(context.Session.User)));
        dispatcher.On(FrameType.RoomMembers, Json.RoomMembersRequest, (context, request) => ValueTask.FromResult(Members(context.Session.User, request.Room)));
        dispatcher.On(FrameType.RoomSettings, Json.RoomSettingsRequest, (context, request) => SettingsAsync(context.Session.User, request));
    }

    private Reply List(string user)
    {
        var visible = rooms.All.Where(room => room.IsVisibleTo(user)).OrderBy(room => room.Name, StringComparer.OrdinalIgnoreCase)
            .Select(room => new RoomSummary(room.Name, room.Members.Length, room.Topic, room.IsPrivate, room.FindMember(user) is not null,
                room.Invited.Contains(user)))
            .ToArray();
        return Reply.Frame(FrameType.RoomList, new RoomList(visible), Json.RoomList);
    }

    /// <summary>Cluster mode: a member online (and not invisible) on another node; on a single node nobody is.</summary>
    public Func<string, bool> OnlineElsewhere { get; set; } = _ => false;

    private Reply Members(string user, string name)
    {
        if (rules.FindVisible(name, user, out var room) is { } refusal)
        {
            return refusal;
        }
        // Invisible members show as offline to everyone but themselves.
        var members = room.Members.Select(member => new RoomMemberInfo(member.User,
                sessions.Find(member.User) is { } session ? !session.Invisible || member.User == user : OnlineElsewhere(member.User),
                member.User == room.Owner))
            .ToArray();
        return Reply.Frame(FrameType.RoomMemberList, new RoomMemberList(room.Name, members), Json.RoomMemberList);
    }

    private async ValueTask<Reply> SettingsAsync(string user, RoomSettingsRequest request)
    {
        if (request is { Topic: null, Private: null })
        {
            if (rules.FindVisible(request.Room, user, out var shown) is { } hidden)
            {
                return hidden;
            }
            return Reply.Ok(shown.Topic.Length > 0 ? $"Topic of {shown.Name}: {shown.Topic}" : $"{shown.Name} has no topic.");
        }
        if (rules.FindOwned(request.Room, user, out var room) is { } refusal)
        {
            return refusal;
        }
        if (request.Topic is { } topic && (topic.Length > MaxTopicLength || topic.Any(char.IsControl)))
        {
            return Reply.Refuse(StatusCode.BadRequest, $"A topic is at most {MaxTopicLength} characters on one line.", Reasons.BadRequest);
        }
        await room.Changes.WaitAsync();
        try
        {
            if (request.Topic is { } newTopic)
            {
                await store.SetTopicAsync(room.Id, newTopic.Trim());
                room.Topic = newTopic.Trim();
                notices.Tell(room, room.Topic.Length > 0 ? $"{user} set the topic of {room.Name}: {room.Topic}" : $"{user} cleared the topic of {room.Name}",
                    except: user);
            }
            if (request.Private is { } isPrivate && isPrivate != room.IsPrivate)
            {
                await store.SetPrivateAsync(room.Id, isPrivate);
                room.IsPrivate = isPrivate;
                notices.Tell(room, $"{user} made {room.Name} {(isPrivate ? "private (invitation only)" : "public")}", except: user);
            }
        }
        finally
        {
            room.Changes.Release();
        }
        return Reply.Ok(request.Topic is not null ? $"Topic of {room.Name} set." : $"{room.Name} is {(room.IsPrivate ? "private" : "public")}.");
    }
}
