using System.Buffers;
using Messenger.Protocol.Framing;

namespace Messenger.Server.Tests.Sessions;

/// <summary>A frame a test link was sent, read back by the protocol's own decoder (header checks and checksum included).</summary>
public readonly record struct SentFrame(FrameType Type, uint RequestId, byte[] Payload)
{
    public static SentFrame Decode(ReadOnlyMemory<byte> frame)
    {
        var bytes = new ReadOnlySequence<byte>(frame.ToArray());
        Assert.AreEqual(FrameDecodeStatus.Complete, FrameDecoder.TryDecode(ref bytes, ProtocolLimits.MaxPayloadLength, isCompleted: true, out var decoded));
        Assert.IsTrue(bytes.IsEmpty, "one frame per send");
        return new SentFrame(decoded.Type, decoded.RequestId, decoded.Payload.ToArray());
    }
}
