using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;
using Messenger.Server.Sessions;

namespace Messenger.Server.Web;

/// <summary>
/// A link for the dashboard's login: the password check (rate limits, lockout, hashing) answers a refusal as a frame,
/// which this keeps so the dashboard can show the same sentence a terminal user would read.
/// </summary>
public sealed class CapturedAnswerLink(string remoteAddress) : IClientLink
{
    public string RemoteAddress { get; } = remoteAddress;

    public bool IsOpen => true;

    public string? Refusal { get; private set; }

    public bool TrySend(ReadOnlyMemory<byte> frame, OutboundLane lane = OutboundLane.Control)
    {
        if (frame.Length >= FrameHeader.Size && (FrameType)frame.Span[5] == FrameType.Response)
        {
            var answer = System.Text.Json.JsonSerializer.Deserialize(frame.Span[FrameHeader.Size..], ProtocolJsonContext.Default.Response);
            Refusal = answer?.Message;
        }
        return true;
    }

    public void Close(string reason)
    {
    }

    public void Abort(string reason)
    {
    }
}
