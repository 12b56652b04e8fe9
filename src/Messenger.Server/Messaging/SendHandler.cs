using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;
using Messenger.Server.History;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Messaging;

/// <summary><c>message</c> and <c>broadcast</c>: checks, rate limit, resend deduplication, then the router.</summary>
/// <param name="compactFrames">Compact sends are taken (ServerOptions.CompactFrames).</param>
public sealed class SendHandler(TimeProvider time, SessionRegistry sessions, BlockList blocks, ServerStats stats, RequestRules rules,
    MessageRouter router, DirectHistoryWriter history, bool compactFrames = true) : IRequestRoutes
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private static readonly Reply TooFast = Reply.Refuse(StatusCode.TooManyRequests, "You are sending too fast; slow down and try again.", Reasons.RateLimited);

    private long nextServerMessageId;

    public void Map(FrameDispatcher dispatcher)
    {
        dispatcher.On<SendMessageRequest>(FrameType.SendMessage, HotPayloads.TryReadSendMessage, (context, request) => SendAsync(context, request));
        if (compactFrames)
        {
            dispatcher.On<SendMessageRequest>(FrameType.SendMessageCompact, CompactPayloads.TryReadSendMessage,
                (context, request) => SendAsync(context, request, compact: true));
        }
        dispatcher.On(FrameType.Broadcast, Json.BroadcastRequest, BroadcastAsync);
    }

    /// <summary>Ids of messages the server itself sends (broadcasts, the operator's) are negative, so they never
    /// collide with a client's message ids.</summary>
    public long NextServerMessageId() => -Interlocked.Increment(ref nextServerMessageId);

    /// <summary>
    /// A direct message: answered later with its send result (`delivered` or `stored`), or refused now.
    /// <paramref name="compact"/>: it came as a compact send, and its result goes back compact too.
    /// </summary>
    public ValueTask<Reply> SendAsync(RequestContext context, SendMessageRequest request, bool compact = false)
    {
        var sender = context.Session;
        Session? recipient = null; // Its session here, if the check found one: the router need not look it up again.
        if ((RequestRules.CheckText(request.Text) ?? rules.CheckTarget(sender, request.To, "message", out recipient)) is { } refusal)
        {
            return ValueTask.FromResult(refusal);
        }
        if (blocks.IsBlocked(request.To, sender.User))
        {
            return ValueTask.FromResult(Reply.Refuse(StatusCode.Forbidden,
                $"Your message could not be delivered as {request.To} has blocked you.", Reasons.BlockedByRecipient));
        }

        var waiter = new SendWaiter(sender, context.Link, context.RequestId, request.MessageId, compact);
        var now = context.ReceivedAt ?? time.GetUtcNow(); // One clock read per message: the dispatcher's, if it read one.
        lock (sender.Gate)
        {
            // A resend (same id) after a reconnect: answer with what became of the first, or wait for it.
            if (sender.FindSent(request.MessageId, out var first) is { } outcome)
            {
                return ValueTask.FromResult(Reply.Frame(requestId => ServerFrames.SendResult(requestId, request.MessageId, outcome, compact)));
            }
            if (first is not null)
            {
                first.AddResend(waiter);
                return ValueTask.FromResult(Reply.Later);
            }
            if (!sender.SendLimiter.TryTake(now))
            {
                return ValueTask.FromResult(TooFast);
            }
            sender.StartSent(request.MessageId, waiter);
        }

        var message = new StoredMessage(0, sender.User, request.To, request.MessageId, request.Text, now);
        history.Record(message); // Written behind: the delivery below does not wait for it.
        var routing = router.RouteAsync(message, isBroadcast: false, waiter, recipient: recipient);
        return routing.IsCompletedSuccessfully ? ValueTask.FromResult(Reply.Later) : AnsweredLaterAsync(routing);
    }

    private static async ValueTask<Reply> AnsweredLaterAsync(Task routing)
    {
        await routing;
        return Reply.Later;
    }

    /// <summary>To everyone online but the sender and those who blocked it; answered with how many it reached.</summary>
    public async ValueTask<Reply> BroadcastAsync(RequestContext context, BroadcastRequest request)
    {
        var sender = context.Session;
        if (RequestRules.CheckText(request.Text) is { } refusal)
        {
            return refusal;
        }
        lock (sender.Gate)
        {
            if (!sender.SendLimiter.TryTake())
            {
                return TooFast;
            }
        }
        // Broadcast ids are the server's own and negative, so they never collide with a client's message ids.
        var messageId = NextServerMessageId();
        var now = time.GetUtcNow();
        var (recipients, skipped) = await FanOutAsync(sender.User, messageId, request.Text, now);
        if (RemoteBroadcast is { } remote)
        {
            var (elsewhere, skippedElsewhere) = remote(sender.User, messageId, request.Text, now);
            (recipients, skipped) = (recipients + elsewhere, skipped | skippedElsewhere);
        }
        return Reply.Frame(FrameType.BroadcastResult, new BroadcastResult(recipients, skipped), Json.BroadcastResult);
    }

    /// <summary>
    /// Cluster mode (set once at start; null on a single node): sends a broadcast to the other nodes, which fan it out
    /// to their users; returns how many users there it is for (from the directory), and whether some blocked the sender.
    /// </summary>
    public Func<string, long, string, DateTimeOffset, (int Recipients, bool Skipped)>? RemoteBroadcast { get; set; }

    /// <summary>Cluster mode: broadcast ids start from the clock, so a sender's ids from two nodes never collide.</summary>
    public void StartServerMessageIdsAt(long start) => nextServerMessageId = start;

    /// <summary>A broadcast to this node's attached users but the sender and those who blocked it (from here or another node).</summary>
    public async Task<(int Recipients, bool Skipped)> FanOutAsync(string senderName, long messageId, string text, DateTimeOffset now)
    {
        // One delivery id for every receiver (ids only need to be unique per receiver), so each form of the frame is encoded once.
        var deliveryId = router.NextDeliveryId();
        var incoming = new IncomingMessage(deliveryId, senderName, text, messageId, now.ToUnixTimeMilliseconds(), true, false);
        byte[]? jsonFrame = null, compactFrame = null;
        var recipients = 0;
        var skipped = false;
        List<Task>? stores = null;
        foreach (var recipient in sessions.All)
        {
            if (recipient.User == senderName)
            {
                continue;
            }
            if (blocks.IsBlocked(recipient.User, senderName))
            {
                skipped |= recipient.Link is not null;
                continue;
            }
            var message = new StoredMessage(0, senderName, recipient.User, messageId, text, now);
            lock (recipient.Gate)
            {
                if (recipient.Link is { } recipientLink)
                {
                    var frame = recipient.UnderstandsCompact
                        ? compactFrame ??= ServerFrames.Incoming(incoming, compact: true)
                        : jsonFrame ??= ServerFrames.Incoming(incoming);
                    if (router.Deliver(recipient, recipientLink, new PendingDelivery(deliveryId, message, IsBroadcast: true, Waiter: null), frame) is { } storing)
                    {
                        (stores ??= []).Add(storing);
                    }
                    recipient.EndDeliveryIds(); // Its later deliveries get ids above this one.
                    recipients++;
                }
            }
        }
        stats.MessageRouted(recipients);
        if (stores is not null)
        {
            await Task.WhenAll(stores); // Copies for recipients whose link just failed: accepted for them, so stored first.
        }
        return (recipients, skipped);
    }
}
