using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tasks;
using Messenger.Server.Dispatch;
using Messenger.Server.Hosting;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Rooms;

/// <summary>
/// <c>message #room</c> and the room acknowledgements. A message is answered `accepted` only once it is in the room's
/// log on disk (the durability promise); the sender sees it come back like every member does. The sender's next frames
/// do not wait for that commit: the append is queued (its position order fixed) before the handler returns, and the
/// answer goes out when the commit is done, so a burst from one sender shares group commits instead of paying one
/// fsync after another (W3b: 200 messages at once).
/// </summary>
public sealed class RoomMessageHandler(ServerOptions options, TimeProvider time, RoomDirectory rooms, RoomRules rules, RoomFanOut fanOut,
    RoomCatchUp catchUp, ILogger logger) : IRequestRoutes
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    /// <summary>The commits being waited for, to answer each sender; owned here so a failure is logged, never lost.</summary>
    private readonly BackgroundWork answers = new((what, ex) => logger.LogError(ex, "{Work} failed", what));

    public void Map(FrameDispatcher dispatcher)
    {
        dispatcher.On(FrameType.RoomMessage, Json.RoomMessageRequest, SendAsync);
        dispatcher.On(FrameType.RoomAck, Json.RoomAck, AcknowledgeAsync, activity: false);
    }

    private ValueTask<Reply> SendAsync(RequestContext context, RoomMessageRequest request)
    {
        var user = context.Session.User;
        if ((rules.FindMembership(request.Room, user, out var room) ?? RequestRules.CheckText(request.Text)) is { } refusal)
        {
            return ValueTask.FromResult(refusal);
        }
        bool allowed;
        lock (room.Log)
        {
            allowed = room.TryTakeSendToken(user, () => new TokenBucket(time, options.MaxRoomMessagesPerSecond));
        }
        if (!allowed)
        {
            return ValueTask.FromResult(Reply.Refuse(StatusCode.TooManyRequests, $"You are sending to {room.Name} too fast; slow down and try again.", Reasons.RateLimited));
        }
        // PublishAsync queues the append before its first await, so this sender's messages keep their order.
        var publishing = fanOut.PublishAsync(room, user, request.MessageId, request.Text, time.GetUtcNow());
        answers.Run($"The answer to {user}'s message to {room.Name}", async () => FrameDispatcher.Send(context, await AnswerAsync(publishing, user, room, request.Room)));
        return ValueTask.FromResult(Reply.Later);
    }

    private async Task<Reply> AnswerAsync(Task<long?> publishing, string user, Room room, string requestedName)
    {
        try
        {
            return await publishing is { } position ? Reply.Ok($"accepted {position}") : RoomRules.UnknownRoom(requestedName);
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
