using System.Buffers;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Framing;

[TestClass]
public sealed class RawPayloadRoundTripTests
{
    [TestMethod]
    public void EmptyPayloadRoundTripsWithChecksumZero()
    {
        var output = new ArrayBufferWriter<byte>();
        var written = FrameEncoder.WriteRaw(output, FrameType.Ping, 3, ReadOnlySpan<byte>.Empty);

        Assert.AreEqual(FrameHeader.Size, written);
        var frame = DecodeSingle(output.WrittenMemory, ProtocolLimits.MaxPayloadLength);
        Assert.AreEqual(new FrameHeader(FrameType.Ping, 3, 0, 0), frame.Header, "CRC-32C of no bytes is 0");
        Assert.IsTrue(frame.Payload.IsEmpty);
    }

    [TestMethod]
    public void BinaryPayloadComesBackByteForByte()
    {
        var payload = new byte[70_001];
        new Random(1).NextBytes(payload);
        var output = new ArrayBufferWriter<byte>();
        FrameEncoder.WriteRaw(output, FrameType.ChunkData, uint.MaxValue, payload);

        var frame = DecodeSingle(output.WrittenMemory, ProtocolLimits.MaxPayloadLength);

        Assert.AreEqual(FrameType.ChunkData, frame.Type);
        Assert.AreEqual(uint.MaxValue, frame.RequestId);
        Assert.AreEqual(Crc32C.Compute(payload), frame.Header.Checksum);
        Frames.AssertBytesEqual(payload, frame.Payload.ToArray(), "payload");
    }

    [TestMethod]
    public void PayloadOfExactlyMaxPayloadLengthRoundTrips()
    {
        var payload = new byte[ProtocolLimits.MaxPayloadLength];
        new Random(2).NextBytes(payload);
        var output = new ArrayBufferWriter<byte>();

        var written = FrameEncoder.WriteRaw(output, FrameType.ChunkData, 9, payload);

        Assert.AreEqual(FrameHeader.Size + ProtocolLimits.MaxPayloadLength, written);
        var frame = DecodeSingle(output.WrittenMemory, ProtocolLimits.MaxPayloadLength);
        Assert.AreEqual(ProtocolLimits.MaxPayloadLength, frame.Header.PayloadLength);
        Frames.AssertBytesEqual(payload, frame.Payload.ToArray(), "payload");
    }

    [TestMethod]
    public void EncoderRefusesAPayloadOneByteOverTheLimitAndWritesNothing()
    {
        var output = new ArrayBufferWriter<byte>();

        Assert.ThrowsExactly<ArgumentOutOfRangeException>(
            () => FrameEncoder.WriteRaw(output, FrameType.ChunkData, 1, new byte[ProtocolLimits.MaxPayloadLength + 1]));
        Assert.AreEqual(0, output.WrittenCount);
    }

    [TestMethod]
    public void EncoderWritesAfterWhatIsAlreadyInTheBuffer()
    {
        var output = new ArrayBufferWriter<byte>();
        output.Write("prefix"u8);

        FrameEncoder.WriteRaw(output, FrameType.ChunkData, 1, "abc"u8);

        Frames.AssertBytesEqual(Frames.Concat("prefix"u8.ToArray(), Frames.Raw(FrameType.ChunkData, 1, "abc"u8)), output.WrittenSpan, "buffer");
    }

    private static Frame DecodeSingle(ReadOnlyMemory<byte> bytes, int maxPayloadLength)
    {
        var buffer = new ReadOnlySequence<byte>(bytes);
        var status = FrameDecoder.TryDecode(ref buffer, maxPayloadLength, isCompleted: true, out var frame);
        Assert.AreEqual(FrameDecodeStatus.Complete, status);
        Assert.IsTrue(buffer.IsEmpty, "exactly one frame consumed");
        return frame;
    }
}
