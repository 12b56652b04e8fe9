using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;
using Messenger.Server.Hosting;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Rooms;

/// <summary>
/// <c>message #room</c> and the room acknowledgements. A message is answered `accepted` only once it is in the room's
/// log on disk (the durability promise); the sender sees it come back like every member does.
/// </summary>
public sealed class RoomMessageHandler(ServerOptions options, TimeProvider time, RoomDirectory rooms, RoomRules rules, RoomFanOut fanOut,
    RoomCatchUp catchUp, ILogger logger) : IRequestRoutes
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    public void Map(FrameDispatcher dispatcher)
    {
        dispatcher.On(FrameType.RoomMessage, Json.RoomMessageRequest, SendAsync);
        dispatcher.On(FrameType.RoomAck, Json.RoomAck, AcknowledgeAsync, activity: false);
    }

    private async ValueTask<Reply> SendAsync(RequestContext context, RoomMessageRequest request)
    {
        var user = context.Session.User;
        if ((rules.FindMembership(request.Room, user, out var room) ?? RequestRules.CheckText(request.Text)) is { } refusal)
        {
            return refusal;
        }
        bool allowed;
        lock (room.Log)
        {
            allowed = room.TryTakeSendToken(user, () => new TokenBucket(time, options.MaxRoomMessagesPerSecond));
        }
        if (!allowed)
        {
            return Reply.Refuse(StatusCode.TooManyRequests, $"You are sending to {room.Name} too fast; slow down and try again.", Reasons.RateLimited);
        }
        try
        {
            return await fanOut.PublishAsync(room, user, request.MessageId, request.Text, time.GetUtcNow()) is { } position
                ? Reply.Ok($"accepted {position}")
                : RoomRules.UnknownRoom(request.Room);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError(ex, "Could not store a message from {User} to {Room}", user, room.Name);
            return Reply.Refuse(StatusCode.ServerError, $"Your message to {room.Name} could not be stored; try again.", Reasons.ServerError);
        }
    }

    private async ValueTask<Reply> AcknowledgeAsync(RequestContext context, RoomAck ack)
    {
        var positions = ack.Positions.Select(p => (Room: rooms.Find(p.Room), p.Position)).Where(p => p.Room is not null).Select(p => (p.Room!, p.Position));
        await catchUp.AcknowledgeAsync(context.Session, positions);
        return Reply.None;
    }
}
