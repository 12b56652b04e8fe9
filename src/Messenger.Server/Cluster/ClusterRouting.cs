using System.Collections.Concurrent;
using Messenger.Protocol.Contracts;
using Messenger.Server.Messaging;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Cluster;

/// <summary>
/// Messages between nodes (docs/ARCHITECTURE.md "A message across nodes"): the sender's node keeps each forwarded
/// message in flight until the recipient's node answers its outcome; when that node dies or the bus loses data, what
/// is in flight is stored (idempotently) and its senders hear `stored`. Nothing here waits in a client's read loop.
/// </summary>
public sealed class ClusterRouting(IClusterBus bus, ClusterDirectory directory, MessageRouter router, OfflineMailbox mailbox,
    SessionRegistry sessions, BlockList blocks) : IRemoteDelivery
{
    // Keyed by the number each forwarding gets here, which its DeliverItem carries and its OutcomeItem brings back (one
    // long hashed per message; it was three names and an id). The numbers start at a random point below 2^62, so an
    // answer meant for this node's previous life (a restart under the same node id) matches nothing of this one.
    private readonly ConcurrentDictionary<long, InFlight> inFlight = new();
    private long forwarded = Random.Shared.NextInt64(1L << 62);

    /// <summary>Messages forwarded and not yet answered (for tests and the console).</summary>
    public int InFlightCount => inFlight.Count;

    public bool TryForward(StoredMessage message, IOutcomeWaiter? waiter)
    {
        if (directory.RemoteOwner(message.Recipient) is not { } node)
        {
            return false;
        }
        // Kept before it is sent: the answer may come back before Send returns.
        var number = Interlocked.Increment(ref forwarded);
        inFlight[number] = new InFlight(node, message, waiter);
        bus.Send(node, new DeliverItem(number, message.Sender, message.Recipient, message.MessageId, message.Text, message.SentAt.ToUnixTimeMilliseconds()));
        return true;
    }

    /// <summary>A message from another node for a user of this one: delivered, held behind its backlog, or stored.</summary>
    public async Task DeliverAsync(DeliverItem item)
    {
        var waiter = new RemoteWaiter(bus, item.From, item.Ref);
        // The exact block check is the recipient's node's: the blocker's own node updates its mirror before it answers.
        if (blocks.IsBlocked(item.Recipient, item.Sender))
        {
            waiter.Refuse(StatusCode.Forbidden, $"Your message could not be delivered as {item.Recipient} has blocked you.", Reasons.BlockedByRecipient);
            return;
        }
        var message = new StoredMessage(0, item.Sender, item.Recipient, item.MessageId, item.Text, DateTimeOffset.FromUnixTimeMilliseconds(item.SentAtMs));
        // Not here (any more): stored, and the mailbox pokes whichever node the user is on now.
        await router.RouteAsync(message, isBroadcast: false, waiter, forward: false);
    }

    public void Answered(OutcomeItem item)
    {
        // Only the node it was forwarded to answers it: a number that node never got matches nothing.
        if (!inFlight.TryGetValue(item.Ref, out var found) || found.Node != item.From || !inFlight.TryRemove(item.Ref, out var entry)
            || entry.Waiter is not { } waiter)
        {
            return; // Already stored when that node was found dead, or nobody waits (an operator's message).
        }
        if (item.Outcome is { } outcome)
        {
            waiter.Complete(outcome);
        }
        else
        {
            waiter.Refuse(item.Status ?? StatusCode.ServerError, item.Message ?? "The message was not delivered.", item.Reason ?? Reasons.ServerError);
        }
    }

    /// <summary>
    /// Stores what was in flight to <paramref name="node"/> (null: to every node) and answers its senders `stored`.
    /// The store is idempotent and the recipient's client drops a copy it has shown, so a message that did arrive costs
    /// a duplicate row, never a duplicate line. Stored in the order they were forwarded, which is their numbers' (the
    /// dictionary's own order is its hashes'), because the mailbox replays by row: each sender's messages then arrive in
    /// the order they were sent.
    /// </summary>
    public async Task StoreInFlightAsync(string? node)
    {
        foreach (var (key, _) in inFlight.Where(pair => node is null || pair.Value.Node == node).OrderBy(pair => pair.Key).ToList())
        {
            if (inFlight.TryRemove(key, out var entry))
            {
                await mailbox.StoreAsync(entry.Message, entry.Waiter, recipient: null);
            }
        }
    }

    /// <summary>
    /// A message was stored for a user not attached here: the node holding its session offers the backlog at once. When
    /// this node has not heard of such a node (a login elsewhere whose event is still on its way), every node is asked.
    /// </summary>
    public void PokeOwner(string user)
    {
        if (directory.RemoteOwner(user) is { } node)
        {
            bus.Send(node, new PokeItem(user));
        }
        else
        {
            bus.Publish(new PokeItem(user));
        }
    }

    public async Task PokedAsync(PokeItem item)
    {
        if (sessions.Find(item.User) is { } session)
        {
            lock (session.Gate)
            {
                session.Backlog.StoreCommitted();
            }
            await router.DeliverBacklogAsync(session);
        }
    }

    // A struct: kept inside the dictionary's node, not as an object of its own per message.
    private readonly record struct InFlight(string Node, StoredMessage Message, IOutcomeWaiter? Waiter);
}
