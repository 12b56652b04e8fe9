using Messenger.Protocol.Contracts;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Messaging;

/// <summary><c>message</c> and <c>broadcast</c>: checks, rate limit, resend deduplication, then the router.</summary>
public sealed class SendHandler(TimeProvider time, SessionRegistry sessions, BlockList blocks, ServerStats stats, RequestRules rules,
    MessageRouter router, SessionLifecycle lifecycle)
{
    private long nextServerMessageId;

    /// <summary>Ids of messages the server itself sends (broadcasts, the operator's) are negative, so they never
    /// collide with a client's message ids.</summary>
    public long NextServerMessageId() => -Interlocked.Increment(ref nextServerMessageId);

    public async Task SendAsync(Session sender, IClientLink link, uint requestId, SendMessageRequest request)
    {
        lifecycle.Touch(sender);
        if (!rules.ValidateText(link, requestId, request.Text) || !rules.ValidateTarget(sender, link, requestId, request.To, "message"))
        {
            return;
        }
        if (blocks.IsBlocked(request.To, sender.User))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.Forbidden,
                $"Your message could not be delivered as {request.To} has blocked you.", Reasons.BlockedByRecipient));
            return;
        }

        var waiter = new SendWaiter(sender, link, requestId, request.MessageId);
        lock (sender.Gate)
        {
            // A resend (same id) after a reconnect: answer with what became of the first, or wait for it.
            if (sender.FindSent(request.MessageId) is { } previous)
            {
                if (previous.Outcome is { } outcome)
                {
                    link.TrySend(ServerFrames.SendResult(requestId, request.MessageId, outcome));
                }
                else
                {
                    sender.RememberSent(request.MessageId, previous with { Waiters = [.. previous.Waiters, waiter] });
                }
                return;
            }
            if (!sender.SendLimiter.TryTake())
            {
                RefuseTooFast(link, requestId);
                return;
            }
            sender.RememberSent(request.MessageId, new SentMessageState(null, [waiter]));
        }

        var message = new StoredMessage(0, sender.User, request.To, request.MessageId, request.Text, time.GetUtcNow());
        await router.RouteAsync(message, isBroadcast: false, waiter);
    }

    public async Task BroadcastAsync(Session sender, IClientLink link, uint requestId, BroadcastRequest request)
    {
        lifecycle.Touch(sender);
        if (!rules.ValidateText(link, requestId, request.Text))
        {
            return;
        }
        lock (sender.Gate)
        {
            if (!sender.SendLimiter.TryTake())
            {
                RefuseTooFast(link, requestId);
                return;
            }
        }
        // Broadcast ids are the server's own and negative, so they never collide with a client's message ids.
        var messageId = NextServerMessageId();
        var now = time.GetUtcNow();
        // One delivery id for every receiver (ids only need to be unique per receiver), so the frame is encoded once.
        var deliveryId = router.NextDeliveryId();
        var frame = ServerFrames.Incoming(new IncomingMessage(deliveryId, sender.User, request.Text, messageId, now.ToUnixTimeMilliseconds(), true, false));
        var recipients = 0;
        var skipped = false;
        List<Task>? stores = null;
        foreach (var recipient in sessions.All)
        {
            if (ReferenceEquals(recipient, sender))
            {
                continue;
            }
            if (blocks.IsBlocked(recipient.User, sender.User))
            {
                skipped |= recipient.Link is not null;
                continue;
            }
            var message = new StoredMessage(0, sender.User, recipient.User, messageId, request.Text, now);
            lock (recipient.Gate)
            {
                if (recipient.Link is { } recipientLink)
                {
                    if (router.Deliver(recipient, recipientLink, new PendingDelivery(deliveryId, message, IsBroadcast: true, Waiter: null), frame) is { } storing)
                    {
                        (stores ??= []).Add(storing);
                    }
                    recipients++;
                }
            }
        }
        stats.MessageRouted(recipients);
        link.TrySend(ServerFrames.BroadcastResult(requestId, recipients, skipped));
        if (stores is not null)
        {
            await Task.WhenAll(stores);
        }
    }

    private static void RefuseTooFast(IClientLink link, uint requestId) =>
        link.TrySend(ServerFrames.Response(requestId, StatusCode.TooManyRequests, "You are sending too fast; slow down and try again.", Reasons.RateLimited));
}
