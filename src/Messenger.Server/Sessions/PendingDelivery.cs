using Messenger.Server.Storage;

namespace Messenger.Server.Sessions;

/// <summary>
/// A message sent to a recipient's client and not yet acknowledged by it. <see cref="Message"/>.Id is the store's
/// row id when the message came from the offline store (0 otherwise): it is deleted there once acknowledged.
/// </summary>
public sealed record PendingDelivery(long DeliveryId, StoredMessage Message, bool IsBroadcast, IOutcomeWaiter? Waiter)
{
    /// <summary>
    /// Memory held by the text (UTF-16 bytes), copied when the delivery is made: its acknowledgement reads it here
    /// instead of through the message to its text, two objects made on another core (cache misses on W1's path).
    /// </summary>
    public long TextBytes { get; } = Message.Text.Length * sizeof(char);

    /// <summary>The store's row id (0: not from the store), copied for the same reason.</summary>
    public long StoreRow { get; } = Message.Id;
}
