using System.Text.Json.Serialization.Metadata;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Server.Dispatch;

/// <summary>
/// What a handler answers to one request. The handler decides; <see cref="FrameDispatcher"/> encodes it with the
/// request's id and queues it on the requester's link, so handlers neither know request ids nor write frames.
/// </summary>
public readonly struct Reply
{
    private readonly ReplyKind kind;
    private readonly StatusCode status;
    private readonly string? message;
    private readonly string? reason;
    private readonly Func<uint, byte[]>? encode;

    private Reply(ReplyKind kind, StatusCode status = StatusCode.Ok, string? message = null, string? reason = null, Func<uint, byte[]>? encode = null) =>
        (this.kind, this.status, this.message, this.reason, this.encode) = (kind, status, message, reason, encode);

    /// <summary>No answer: the frame is not a request (an acknowledgement, a holder's answer).</summary>
    public static Reply None => default;

    /// <summary>The handler answers by itself later, through the link (a send result on delivery, a file search).</summary>
    public static Reply Later => new(ReplyKind.Later);

    public static Reply Ok(string message) => new(ReplyKind.Response, StatusCode.Ok, message);

    /// <summary>A refusal: the status, one line for the user, and the machine-readable reason (see <see cref="Reasons"/>).</summary>
    public static Reply Refuse(StatusCode status, string message, string reason) => new(ReplyKind.Response, status, message, reason);

    /// <summary>A typed response frame (a user list, a grant); encoded only when sent.</summary>
    public static Reply Frame<T>(FrameType type, T payload, JsonTypeInfo<T> info) =>
        new(ReplyKind.Frame, encode: requestId => FrameEncoder.ToArray(type, requestId, payload, info));

    /// <summary>A response frame that is not JSON (a compact send result), encoded only when sent.</summary>
    public static Reply Frame(Func<uint, byte[]> encode) => new(ReplyKind.Frame, encode: encode);

    /// <summary>The status of a plain response (a refusal's, to tell refusals apart); <see cref="StatusCode.Ok"/> otherwise.</summary>
    public StatusCode Status => status;

    /// <summary>The frame to send for <paramref name="requestId"/>, or null when nothing is sent now.</summary>
    public byte[]? Encode(uint requestId) => kind switch
    {
        ReplyKind.Response => ServerFrames.Response(requestId, status, message!, reason),
        ReplyKind.Frame => encode!(requestId),
        _ => null,
    };

    private enum ReplyKind : byte
    {
        None,
        Later,
        Response,
        Frame,
    }
}
