using System.Buffers;
using System.Buffers.Binary;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Contracts;

/// <summary>
/// The compact frames of a direct message (docs/PROTOCOL.md §4.2): what <see cref="CompactFrames"/> writes,
/// <see cref="CompactPayloads"/> reads back to the same values (whole frames decoded, payloads split across segments),
/// and every short, overlong, mislabelled or non-UTF-8 payload is refused rather than read as something else.
/// </summary>
[TestClass]
public sealed class CompactPayloadsTests
{
    private static readonly string[] Texts = ["", "hi", "a\"b\\c\u00e9\n\u0000", "emoji \U0001F600 and <&>", new string('x', ProtocolLimits.MaxTextLength)];

    [TestMethod]
    public void ASendMessageFrameReadsBackToItsValuesWhicheverWayItsPayloadIsSplit()
    {
        foreach (var text in Texts)
        {
            var frame = Decode(CompactFrames.SendMessage(9, "bøb", text, long.MinValue), FrameType.SendMessageCompact, 9);
            foreach (var payload in new[] { new ReadOnlySequence<byte>(frame), Sequences.OneBytePerSegment(frame) })
            {
                Assert.IsTrue(CompactPayloads.TryReadSendMessage(payload, out var request), text);
                Assert.AreEqual(new SendMessageRequest("bøb", text, long.MinValue), request);
            }
        }
    }

    [TestMethod]
    public void AnIncomingFrameReadsBackToItsValuesAndFlags()
    {
        foreach (var text in Texts)
        {
            foreach (var (broadcast, stored) in new[] { (false, false), (true, false), (false, true), (true, true) })
            {
                var message = new IncomingMessage(long.MaxValue, "ålice", text, -17, 1_764_000_000_000, broadcast, stored);
                var payload = Decode(CompactFrames.Incoming(message), FrameType.IncomingCompact, 0);
                Assert.IsTrue(CompactPayloads.TryReadIncoming(payload, out var read));
                Assert.AreEqual(message, read);
                Assert.IsTrue(CompactPayloads.TrySliceIncoming(payload, out var deliveryId, out var messageId, out var slicedText));
                Assert.AreEqual((long.MaxValue, -17L, text), (deliveryId, messageId, System.Text.Encoding.UTF8.GetString(slicedText)));
            }
        }
    }

    [TestMethod]
    public void AnAckAndASendResultReadBackToTheirValues()
    {
        long[] ids = [1, long.MaxValue, -5, 0, 901];
        var ack = Decode(CompactFrames.Ack(ids), FrameType.AckCompact, 0);
        CollectionAssert.AreEqual(CompactFrames.Ack(ids), Write(output => CompactFrames.WriteAck(output, ids)), "both ways of writing an ack agree");
        Assert.IsTrue(CompactPayloads.TryReadAck(Sequences.Split(ack, 3, 11), out var acks));
        CollectionAssert.AreEqual(ids, acks.DeliveryIds);

        foreach (var outcome in new[] { DeliveryOutcome.Delivered, DeliveryOutcome.Stored })
        {
            var result = Decode(CompactFrames.SendResult(42, 1234, outcome), FrameType.SendResultCompact, 42);
            Assert.IsTrue(CompactPayloads.TryReadSendResult(result, out var read));
            Assert.AreEqual(new SendResult(1234, outcome), read);
        }
    }

    [TestMethod]
    public void ShortOverlongOrNonUtf8SendPayloadsAreRefused()
    {
        var good = Decode(CompactFrames.SendMessage(1, "bob", "hi", 7), FrameType.SendMessageCompact, 1);
        Assert.IsTrue(CompactPayloads.TryReadSendMessage(new ReadOnlySequence<byte>(good), out _), "the unchanged payload is taken");
        byte[][] bad =
        [
            [],
            good[..8],                                  // no name length
            good[..10],                                 // the name is cut short
            With(good, 8, 200),                         // the name's length runs past the payload
            With(good, 9, 0xFF),                        // the name is not UTF-8
            [.. good, 0xC3],                            // the text ends inside a character
            [.. good[..12], 0xED, 0xA0, 0x80],          // the text holds an encoded surrogate
        ];
        foreach (var payload in bad)
        {
            Assert.IsFalse(CompactPayloads.TryReadSendMessage(new ReadOnlySequence<byte>(payload), out _), Convert.ToHexString(payload));
        }
    }

    [TestMethod]
    public void MalformedAckResultAndIncomingPayloadsAreRefused()
    {
        Assert.IsFalse(CompactPayloads.TryReadAck(ReadOnlySequence<byte>.Empty, out _), "an ack of nothing");
        Assert.IsFalse(CompactPayloads.TryReadAck(new ReadOnlySequence<byte>(new byte[12]), out _), "an ack of 1.5 ids");

        var result = Decode(CompactFrames.SendResult(1, 2, DeliveryOutcome.Stored), FrameType.SendResultCompact, 1);
        Assert.IsFalse(CompactPayloads.TryReadSendResult(result.AsSpan(0, 8), out _), "no outcome");
        Assert.IsFalse(CompactPayloads.TryReadSendResult([.. result, 0], out _), "a byte too many");
        Assert.IsFalse(CompactPayloads.TryReadSendResult(With(result, 8, 0), out _), "outcome 0 is no outcome");
        Assert.IsFalse(CompactPayloads.TryReadSendResult(With(result, 8, 3), out _), "an outcome the protocol does not have");

        var incoming = Decode(CompactFrames.Incoming(new IncomingMessage(1, "alice", "hi", 2, 3, false, false)), FrameType.IncomingCompact, 0);
        Assert.IsFalse(CompactPayloads.TryReadIncoming(incoming.AsSpan(0, 25), out _), "no name length");
        Assert.IsFalse(CompactPayloads.TryReadIncoming(With(incoming, 24, 4), out _), "an unknown flag");
        Assert.IsFalse(CompactPayloads.TryReadIncoming(With(incoming, 25, 99), out _), "the name runs past the payload");
        Assert.IsFalse(CompactPayloads.TryReadIncoming(With(incoming, 26, 0x80), out _), "the name is not UTF-8");
        Assert.IsFalse(CompactPayloads.TrySliceIncoming(incoming.AsSpan(0, 20), out _, out _, out _), "the slice refuses a short payload too");
    }

    [TestMethod]
    public void ANameTooLongForItsLengthByteIsRefusedWhenWritten()
    {
        var name = new string('é', 128); // 256 UTF-8 bytes
        Assert.ThrowsExactly<ArgumentException>(() => CompactFrames.Incoming(new IncomingMessage(1, name, "hi", 2, 3, false, false)));
        Assert.ThrowsExactly<ArgumentException>(() => CompactFrames.SendMessage(1, name, "hi", 2));
    }

    /// <summary>Checks a frame's header (type, request id, length, checksum) and returns its payload.</summary>
    private static byte[] Decode(byte[] frame, FrameType type, uint requestId)
    {
        var sequence = new ReadOnlySequence<byte>(frame);
        Assert.AreEqual(FrameDecodeStatus.Complete, FrameDecoder.TryDecode(ref sequence, ProtocolLimits.MaxPayloadLength, true, out var decoded));
        Assert.AreEqual((type, requestId), (decoded.Type, decoded.RequestId));
        Assert.AreEqual(0, sequence.Length, "nothing after the frame");
        Assert.AreEqual(BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(12)), (uint)decoded.Payload.Length);
        return decoded.Payload.ToArray();
    }

    private static byte[] Write(Func<IBufferWriter<byte>, int> write)
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.AreEqual(write(output), output.WrittenCount, "the length returned is the length written");
        return output.WrittenSpan.ToArray();
    }

    private static byte[] With(byte[] payload, int offset, byte value)
    {
        var copy = payload.ToArray();
        copy[offset] = value;
        return copy;
    }
}
