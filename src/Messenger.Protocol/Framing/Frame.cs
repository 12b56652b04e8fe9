using System.Buffers;

namespace Messenger.Protocol.Framing;

/// <summary>
/// A decoded frame. <see cref="Payload"/> is a slice of the reader's buffer (no copy): it is valid
/// only until the reader advances past it.
/// </summary>
public readonly record struct Frame(FrameHeader Header, ReadOnlySequence<byte> Payload)
{
    public FrameType Type => Header.Type;
    public uint RequestId => Header.RequestId;
}
