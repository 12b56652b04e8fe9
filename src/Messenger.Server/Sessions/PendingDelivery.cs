using Messenger.Server.Storage;

namespace Messenger.Server.Sessions;

/// <summary>
/// A message sent to a recipient's client and not yet acknowledged by it. <see cref="Message"/>.Id is the store's
/// row id when the message came from the offline store (0 otherwise): it is deleted there once acknowledged.
/// </summary>
public sealed record PendingDelivery(long DeliveryId, StoredMessage Message, bool IsBroadcast, IOutcomeWaiter? Waiter);
