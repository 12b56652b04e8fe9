using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;

namespace Messenger.Server.Private;

/// <summary>
/// What the node holding the target answers a <c>startprivate</c>: a grant at once, "waiting" for the target's consent,
/// or a refusal. A plain value so that it can cross the cluster bus; the requester's node turns it into the reply.
/// </summary>
public sealed record PrivateOffer(PrivateGrant? Grant = null, PrivatePending? Pending = null, StatusCode Status = StatusCode.Ok,
    string? Message = null, string? Reason = null)
{
    public static PrivateOffer Refused(StatusCode status, string message, string reason) => new(Status: status, Message: message, Reason: reason);

    public Reply ToReply(ProtocolJsonContext json) => this switch
    {
        { Grant: { } grant } => Reply.Frame(FrameType.PrivateGrant, grant, json.PrivateGrant),
        { Pending: { } pending } => Reply.Frame(FrameType.PrivatePending, pending, json.PrivatePending),
        _ => Reply.Refuse(Status, Message ?? "The private session could not be started.", Reason ?? Reasons.ServerError),
    };
}
