using Messenger.Server.Dispatch;
using Messenger.Protocol.Contracts;
using Messenger.Server.Guests;
using Messenger.Server.Hosting;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Messaging;

/// <summary>
/// Stores messages for recipients who cannot take them now, under the per-recipient cap, and answers their senders
/// (`stored`, or why not). A full mailbox's dropped copies are logged once a minute per recipient (<c>fullLog</c>).
/// </summary>
/// <param name="offerBacklog">Offers a recipient who logged in meanwhile its backlog (the router's replay).</param>
public sealed class OfflineMailbox(IServerStore store, ServerOptions options, ServerStats stats, SessionRegistry sessions, GuestNames guests,
    LogThrottle fullLog, ILogger logger, Func<Session, Task> offerBacklog)
{
    /// <summary>
    /// Cluster mode: a message was stored for a user who is not attached here, who may be attached to another node
    /// (set once at start); null on a single node.
    /// </summary>
    public Action<string>? StoredForAbsent { get; set; }

    /// <param name="recipient">The session whose store queue runs this write, if any (else the recipient was offline).</param>
    public async Task StoreAsync(StoredMessage message, IOutcomeWaiter? waiter, Session? recipient)
    {
        if (RefuseForGuest(message, waiter))
        {
            return;
        }
        // Every stored message counts against the recipient's mailbox cap, checked atomically with the insert: a user's
        // message is refused with an answer; a copy nobody waits for (a broadcast in flight to a dropped connection, an
        // operator message) is dropped and logged.
        long? row;
        try
        {
            row = await store.StoreOfflineIfRoomAsync(message, options.MaxStoredMessagesPerRecipient);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not store a message from {Sender} for {Recipient}", message.Sender, message.Recipient);
            waiter?.Refuse(StatusCode.ServerError, "The server could not store your message; try again.", Reasons.ServerError);
            return;
        }
        if (row is not { } rowId)
        {
            if (waiter is null)
            {
                if (fullLog.ShouldLog(message.Recipient))
                {
                    logger.LogWarning("{Recipient}'s mailbox is full: a copy of message {MessageId} from {Sender} was dropped (more drops for {Recipient} are counted, reported each minute)",
                        message.Recipient, message.MessageId, message.Sender, message.Recipient);
                }
                return;
            }
            waiter.Refuse(StatusCode.TooManyRequests, $"{message.Recipient}'s mailbox is full; the message was not stored.", Reasons.MailboxFull);
            return;
        }
        stats.MessageStored();
        if (waiter is not null && SenderAnswers.WaitForBacklogDelivery(recipient, rowId, waiter) is { } outcome)
        {
            waiter.Complete(outcome);
        }
        // The recipient may have logged in between our check and the commit; if so, hand it over now.
        if (recipient is null && sessions.Find(message.Recipient) is { Link: not null } online)
        {
            lock (online.Gate)
            {
                online.Backlog.StoreCommitted();
            }
            await offerBacklog(online);
        }
        else if (recipient is null)
        {
            StoredForAbsent?.Invoke(message.Recipient);
        }
    }

    /// <summary>
    /// Nothing is stored to or from a guest: a message that would be is refused with an answer (or, nobody waiting, a
    /// broadcast copy, dropped). True when refused.
    /// </summary>
    private bool RefuseForGuest(StoredMessage message, IOutcomeWaiter? waiter)
    {
        var toGuest = guests.IsGuest(message.Recipient);
        if (!toGuest && !guests.IsGuest(message.Sender))
        {
            return false;
        }
        if (toGuest)
        {
            waiter?.Refuse(StatusCode.NotFound, $"{message.Recipient} is not online; messages to guests are not kept.", Reasons.GuestGone);
        }
        else
        {
            waiter?.Refuse(StatusCode.NotFound, $"{message.Recipient} is offline; as a guest you can message only users who are online.", Reasons.GuestNotAllowed);
        }
        return true;
    }

    /// <param name="parked">Senders of stored rows not yet sent to the link that went: they are `stored`.</param>
    public async Task StoreUnacknowledgedAsync(List<PendingDelivery> unacknowledged, List<IOutcomeWaiter> parked)
    {
        foreach (var waiter in parked)
        {
            waiter.Complete(DeliveryOutcome.Stored);
        }
        foreach (var delivery in unacknowledged)
        {
            // Messages that came from the store are still there (deleted only on ack): their senders hear `stored`.
            if (delivery.Message.Id != 0)
            {
                if (delivery.Waiter is { } waiter)
                {
                    waiter.Complete(DeliveryOutcome.Stored);
                }
                continue;
            }
            await StoreAsync(delivery.Message, delivery.Waiter, recipient: null);
        }
    }
}
