using Messenger.Protocol.Contracts;
using Messenger.Server.Dispatch;
using Messenger.Server.Messaging;

namespace Messenger.Server.Sessions;

/// <summary>
/// The sender's request on this node, still waiting for its delivery outcome. <paramref name="Compact"/>: the request
/// was a compact send, answered with a compact result.
/// </summary>
public sealed record SendWaiter(Session Sender, IClientLink Link, uint RequestId, long MessageId, bool Compact = false) : IOutcomeWaiter
{
    public void Complete(DeliveryOutcome outcome) => SenderAnswers.Complete(this, outcome);

    public void Refuse(StatusCode status, string message, string reason)
    {
        SenderAnswers.Forget(this);
        Link.TrySend(ServerFrames.Response(RequestId, status, message, reason));
    }
}
