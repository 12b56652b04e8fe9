using Messenger.Protocol.Contracts;
using Messenger.Server.Sessions;

namespace Messenger.Server.Cluster;

/// <summary>The sender is on another node: its outcome goes back there over the bus, in order with the other answers.</summary>
public sealed class RemoteWaiter(IClusterBus bus, string senderNode, string sender, string recipient, long messageId) : IOutcomeWaiter
{
    public void Complete(DeliveryOutcome outcome) => bus.Send(senderNode, new OutcomeItem(sender, recipient, messageId, outcome));

    public void Refuse(StatusCode status, string message, string reason) =>
        bus.Send(senderNode, new OutcomeItem(sender, recipient, messageId, null, status, message, reason));
}
