using Messenger.Server.Dispatch;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;
using Messenger.Server.Hosting;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;
using Messenger.Server.Swarm;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Messaging;

/// <summary>
/// Routes a message to its recipient: onto the attached link (kept until acknowledged), behind the stored backlog
/// while that drains, or into the mailbox. Owns the backlog replay and the slow-consumer cut for unacknowledged
/// messages. Delivery guarantee (docs/ARCHITECTURE.md "Delivery"): a message is answered `delivered` only after the
/// recipient's client acknowledged it, `stored` only after the store committed it; an unacknowledged message goes
/// to the store when its recipient's connection ends.
/// </summary>
public sealed class MessageRouter(ServerOptions options, TimeProvider time, IServerStore store, ServerStats stats, SessionRegistry sessions,
    OfflineMailbox mailbox, SwarmBroker swarm, ILogger logger)
{
    /// <summary>
    /// Stored messages sent to a client per page of its backlog (at most; fewer when MaxUnacknowledgedMessages is small
    /// or the texts are long); the next page goes once fewer than half are unacknowledged. A replay alone never trips
    /// the slow-consumer bounds.
    /// </summary>
    private const int BacklogPageSize = 500;

    /// <summary>
    /// Delivery ids a recipient takes at a time from the node's counter: an atomic add on a counter every core writes
    /// was a cache line moved between cores per message in W1.
    /// </summary>
    private const int DeliveryIdBlock = 1024;

    private long nextDeliveryId;

    /// <summary>Delivery ids only need to be unique per receiver; every id this counter hands out is unique on the node.</summary>
    public long NextDeliveryId() => Interlocked.Increment(ref nextDeliveryId);

    /// <summary>Caller holds the recipient's gate. The next id of the recipient's block (a new block when it is used up).</summary>
    public long NextDeliveryId(Session recipient) => recipient.TryTakeDeliveryId(out var id)
        ? id
        : recipient.StartDeliveryIds(Interlocked.Add(ref nextDeliveryId, DeliveryIdBlock) - DeliveryIdBlock + 1, DeliveryIdBlock);

    /// <summary>Cluster mode: the way to the other nodes (set once at start); null on a single node.</summary>
    public IRemoteDelivery? Remote { get; set; }

    /// <summary>
    /// Delivers to the recipient's connection if it has one, else (cluster) to the node that has it, else stores (in
    /// order with its other stores). <paramref name="forward"/> is false for a message that came from another node.
    /// <paramref name="recipient"/>: the recipient's session here, when the caller just found it (else it is looked up,
    /// and looked up again if it ended meanwhile: a new login may have replaced it).
    /// </summary>
    public Task RouteAsync(StoredMessage message, bool isBroadcast, IOutcomeWaiter? waiter, bool forward = true, Session? recipient = null)
    {
        if (recipient is null or { Ended: true })
        {
            recipient = sessions.Find(message.Recipient);
        }
        if (recipient is not null)
        {
            lock (recipient.Gate)
            {
                if (recipient.Link is { } link)
                {
                    var delivery = new PendingDelivery(NextDeliveryId(recipient), message, isBroadcast, waiter);
                    return Deliver(recipient, link, delivery) ?? Task.CompletedTask;
                }
                if (!recipient.Ended)
                {
                    return StoreForSession(recipient, message, waiter);
                }
            }
        }
        if (forward && Remote?.TryForward(message, waiter) == true)
        {
            return Task.CompletedTask;
        }
        return mailbox.StoreAsync(message, waiter, recipient: null);
    }

    /// <summary>
    /// Caller holds the recipient's gate. Sends to the attached link and keeps the delivery until acknowledged; while
    /// the recipient's stored backlog is still draining, the message joins the end of it instead (returns that store
    /// write), so it cannot overtake older messages. <paramref name="frame"/> is the delivery already encoded.
    /// </summary>
    public Task? Deliver(Session recipient, IClientLink link, PendingDelivery delivery, byte[]? frame = null)
    {
        if (recipient.Backlog.Draining)
        {
            return StoreForSession(recipient, delivery.Message, delivery.Waiter);
        }
        stats.MessageRouted();
        return SendPending(recipient, link, delivery, frame, wasStored: false);
    }

    /// <summary>
    /// Caller holds the recipient's gate. Keeps the delivery until acknowledged and queues it on the link. A client that
    /// reads but does not acknowledge is cut as a slow consumer once too much waits for it. A link that is closing, for
    /// that or any reason, detaches its session at once: the read loop's end can come a second or more later under
    /// load, and a storm kept 16,000 deliveries (130 MB) in memory for a cut client until then (issue 12). Returns the
    /// store of what was unacknowledged, this delivery included, when it detached.
    /// </summary>
    private Task? SendPending(Session recipient, IClientLink link, PendingDelivery delivery, byte[]? frame, bool wasStored)
    {
        recipient.AddPending(delivery);
        if (!link.IsOpen)
        {
            return DetachLocked(recipient);
        }
        if (recipient.PendingCount > options.MaxUnacknowledgedMessages || recipient.PendingBytes > options.MaxUnacknowledgedBytes)
        {
            logger.LogWarning("Disconnecting {User}: {Count} messages ({Bytes} bytes) unacknowledged ({Policy})",
                recipient.User, recipient.PendingCount, recipient.PendingBytes, "disconnect-when-unacknowledged-bound-reached");
            stats.SlowConsumerDisconnected();
            link.Abort(Reasons.SlowConsumer);
            return DetachLocked(recipient);
        }
        // False: the link closed just now (its outbound bound, or gone).
        frame ??= recipient.UnderstandsCompact ? IncomingCompact(delivery, wasStored) : ServerFrames.Incoming(ToIncoming(delivery, wasStored));
        return link.TrySend(frame, OutboundLane.Bulk) ? null : DetachLocked(recipient);
    }

    /// <summary>
    /// Caller holds the session's gate and its link is closing or gone. Detaches (the session waits for a resume) and
    /// stores everything unacknowledged behind the session's other store writes, in order. Nobody waits for the holder
    /// queries of a user without a connection.
    /// </summary>
    public Task DetachLocked(Session session)
    {
        var unacknowledged = session.Detach(time.GetUtcNow());
        var parked = session.Backlog.TakeAllParked();
        var user = session.User;
        return session.EnqueueStore(async () =>
        {
            swarm.StopWaitingFor(user);
            await mailbox.StoreUnacknowledgedAsync(unacknowledged, parked);
        }, () => DeliverBacklogAsync(session));
    }

    /// <summary>Caller holds the recipient's gate. Stores behind the session's other store writes, then offers the backlog.</summary>
    private Task StoreForSession(Session recipient, StoredMessage message, IOutcomeWaiter? waiter) =>
        recipient.EnqueueStore(() => mailbox.StoreAsync(message, waiter, recipient), () => DeliverBacklogAsync(recipient));

    /// <summary>
    /// Sends the attached client the next page of its stored backlog, if it has acknowledged most of the last one
    /// (see <see cref="BacklogReplay"/>). Called on attach, on acknowledgements while the backlog drains, and after a
    /// store write for the user; calls that meet a running load make it load again instead.
    /// </summary>
    public async Task DeliverBacklogAsync(Session session)
    {
        // A page (with what else waits for an acknowledgement) stays well inside the slow-consumer bounds.
        var pageSize = Math.Clamp(options.MaxUnacknowledgedMessages / 2, 1, BacklogPageSize);
        var again = true;
        while (again)
        {
            BacklogLoad load;
            lock (session.Gate)
            {
                if (session.Link is null || !session.Backlog.TryBeginLoad(session.PendingStoreRowCount, Math.Max(1, pageSize / 2), out load))
                {
                    return;
                }
            }
            IReadOnlyList<StoredMessage> page;
            try
            {
                page = await store.LoadOfflineAsync(session.User, load.AfterRow, pageSize);
            }
            catch
            {
                lock (session.Gate)
                {
                    session.Backlog.AbortLoad();
                }
                throw;
            }
            var full = page.Count == pageSize;
            lock (session.Gate)
            {
                if (session.Link is { } link && session.Backlog.IsCurrent(load))
                {
                    foreach (var message in page)
                    {
                        if (session.PendingBytes >= options.MaxUnacknowledgedBytes / 2)
                        {
                            full = true; // Long texts: the rest waits for acknowledgements, like a full page.
                            break;
                        }
                        session.Backlog.Sent(message.Id);
                        if (!session.HasPendingStoreRow(message.Id))
                        {
                            var delivery = new PendingDelivery(NextDeliveryId(session), message, IsBroadcast: false, session.Backlog.TakeParked(message.Id));
                            // Detached: the session's store queue owns that store (this replay runs on that queue, so it
                            // must not wait for it); the next attach replays the backlog again from the store.
                            if (SendPending(session, link, delivery, frame: null, wasStored: true) is not null)
                            {
                                break;
                            }
                        }
                    }
                }
                again = session.Backlog.EndLoad(load, full);
            }
        }
    }

    /// <summary>The compact frame straight from the delivery: no <see cref="IncomingMessage"/> per message on W1's path.</summary>
    private static byte[] IncomingCompact(PendingDelivery delivery, bool wasStored) =>
        CompactFrames.Incoming(delivery.DeliveryId, delivery.Message.Sender, delivery.Message.Text, delivery.Message.MessageId,
            delivery.Message.SentAt.ToUnixTimeMilliseconds(), delivery.IsBroadcast, wasStored);

    private static IncomingMessage ToIncoming(PendingDelivery delivery, bool wasStored) =>
        new(delivery.DeliveryId, delivery.Message.Sender, delivery.Message.Text, delivery.Message.MessageId,
            delivery.Message.SentAt.ToUnixTimeMilliseconds(), delivery.IsBroadcast, wasStored);
}
