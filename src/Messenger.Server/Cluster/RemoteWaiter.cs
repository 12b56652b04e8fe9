using Messenger.Protocol.Contracts;
using Messenger.Server.Sessions;

namespace Messenger.Server.Cluster;

/// <summary>
/// The sender is on another node: its outcome goes back there over the bus, in order with the other answers, under the
/// number that node gave the forwarding (<see cref="DeliverItem.Ref"/>).
/// </summary>
public sealed class RemoteWaiter(IClusterBus bus, string senderNode, long reference) : IOutcomeWaiter
{
    public void Complete(DeliveryOutcome outcome) => bus.Send(senderNode, new OutcomeItem(reference, outcome));

    public void Refuse(StatusCode status, string message, string reason) =>
        bus.Send(senderNode, new OutcomeItem(reference, null, status, message, reason));
}
