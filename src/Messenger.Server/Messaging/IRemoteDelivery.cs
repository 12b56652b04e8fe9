using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Messaging;

/// <summary>The router's way to another node (cluster mode): none on a single node.</summary>
public interface IRemoteDelivery
{
    /// <summary>Sends the message to the node holding its recipient's session; false when no other live node holds it.</summary>
    bool TryForward(StoredMessage message, IOutcomeWaiter? waiter);
}
