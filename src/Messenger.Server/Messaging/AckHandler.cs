using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Messaging;

/// <summary>Acknowledgements from a recipient's client: the senders hear `delivered`, stored copies are deleted.</summary>
/// <param name="compactFrames">Compact acks are taken (ServerOptions.CompactFrames).</param>
public sealed class AckHandler(IServerStore store, MessageRouter router, bool compactFrames = true) : IRequestRoutes
{
    /// <summary>An acknowledgement is the client's, not the user's: it does not count as activity.</summary>
    public void Map(FrameDispatcher dispatcher)
    {
        dispatcher.On<AckMessages>(FrameType.Ack, HotPayloads.TryReadAck, OnAckAsync, activity: false);
        if (compactFrames)
        {
            dispatcher.On<AckMessages>(FrameType.AckCompact, CompactPayloads.TryReadAck, OnAckAsync, activity: false);
        }
    }

    private async ValueTask<Reply> OnAckAsync(RequestContext context, AckMessages ack)
    {
        await AcknowledgeAsync(context.Session, ack.DeliveryIds);
        return Reply.None;
    }

    /// <summary>The recipient's client acknowledged these deliveries: answer their senders, delete stored copies.</summary>
    public async Task AcknowledgeAsync(Session recipient, IReadOnlyList<long> deliveryIds)
    {
        List<PendingDelivery> done = new(deliveryIds.Count);
        bool draining;
        lock (recipient.Gate)
        {
            foreach (var id in deliveryIds)
            {
                if (recipient.TakePending(id) is { } delivery)
                {
                    done.Add(delivery);
                }
            }
            draining = recipient.Backlog.Draining;
        }
        List<long>? storedRows = null;
        foreach (var delivery in done)
        {
            if (delivery.StoreRow != 0)
            {
                (storedRows ??= []).Add(delivery.StoreRow);
            }
            if (delivery.Waiter is { } waiter)
            {
                waiter.Complete(DeliveryOutcome.Delivered);
            }
        }
        if (storedRows is not null)
        {
            await store.DeleteOfflineAsync(storedRows);
        }
        if (draining && done.Count > 0)
        {
            await router.DeliverBacklogAsync(recipient); // The client made room: the next page, if it is due.
        }
    }
}
