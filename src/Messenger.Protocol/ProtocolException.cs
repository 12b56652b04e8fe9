using Messenger.Protocol.Framing;

namespace Messenger.Protocol;

/// <summary>A peer broke the protocol: the connection cannot be trusted any more and is closed.</summary>
public sealed class ProtocolException : Exception
{
    public ProtocolException(FrameDecodeStatus status, string message)
        : base(message)
    {
        Status = status;
    }

    public ProtocolException()
    {
    }

    public ProtocolException(string message)
        : base(message)
    {
    }

    public ProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The decoder's verdict; <see cref="FrameDecodeStatus.Complete"/> when the frame was fine but its payload was not.</summary>
    public FrameDecodeStatus Status { get; }
}
