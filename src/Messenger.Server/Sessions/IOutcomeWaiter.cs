using Messenger.Protocol.Contracts;

namespace Messenger.Server.Sessions;

/// <summary>
/// Whoever waits for a message's outcome: the sender's request on this node (<see cref="SendWaiter"/>), or, in a
/// cluster, the sender's node (<see cref="Cluster.RemoteWaiter"/>), which relays the answer over the bus.
/// </summary>
public interface IOutcomeWaiter
{
    /// <summary>The message was delivered (acknowledged by the recipient's client) or stored.</summary>
    void Complete(DeliveryOutcome outcome);

    /// <summary>The message was refused after all (mailbox full, store failure, blocked): a resend may try again.</summary>
    void Refuse(StatusCode status, string message, string reason);
}
