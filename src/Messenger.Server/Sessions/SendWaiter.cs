using Messenger.Protocol.Contracts;
using Messenger.Server.Dispatch;
using Messenger.Server.Messaging;

namespace Messenger.Server.Sessions;

/// <summary>
/// The sender's request on this node, still waiting for its delivery outcome. <paramref name="compact"/>: the request
/// was a compact send, answered with a compact result. The first request of a message in flight is what the sender's
/// <see cref="SentLog"/> keeps for it; resends that arrive meanwhile wait with it (<see cref="Resends"/>).
/// </summary>
public sealed class SendWaiter(Session sender, IClientLink link, uint requestId, long messageId, bool compact = false) : IOutcomeWaiter
{
    private List<SendWaiter>? resends;

    public Session Sender => sender;

    public IClientLink Link => link;

    public uint RequestId => requestId;

    public long MessageId => messageId;

    public bool Compact => compact;

    /// <summary>Resends of this message that wait for its outcome too (guarded by the sender's gate; usually none).</summary>
    public IReadOnlyList<SendWaiter> Resends => resends ?? (IReadOnlyList<SendWaiter>)[];

    /// <summary>Caller holds the sender's gate: a resend of this message in flight waits for its outcome too.</summary>
    public void AddResend(SendWaiter resend) => (resends ??= []).Add(resend);

    public void Complete(DeliveryOutcome outcome) => SenderAnswers.Complete(this, outcome);

    public void Refuse(StatusCode status, string message, string reason)
    {
        SenderAnswers.Forget(this);
        Link.TrySend(ServerFrames.Response(RequestId, status, message, reason));
    }
}
