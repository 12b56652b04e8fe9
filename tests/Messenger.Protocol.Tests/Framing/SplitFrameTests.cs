using System.Buffers;
using System.IO.Pipelines;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Framing;

/// <summary>TCP delivers bytes, not frames: a frame cut anywhere must decode as if it came in one piece.</summary>
[TestClass]
public sealed class SplitFrameTests
{
    public static IEnumerable<TestDataRow<byte[]>> SampleFrames =>
    [
        new(ContractSamples.All.First(c => c.FrameType == FrameType.SendMessage).ToFrame(41)) { DisplayName = "JSON with emoji" },
        new(Frames.Raw(FrameType.Ping, 2, ReadOnlySpan<byte>.Empty)) { DisplayName = "empty payload" },
        new(Frames.Raw(FrameType.ChunkData, 3, Enumerable.Range(0, 300).Select(i => (byte)(i * 7)).ToArray())) { DisplayName = "binary" },
    ];

    [TestMethod]
    [DynamicData(nameof(SampleFrames))]
    public void FrameInTwoSegmentsDecodesIdenticallyAtEveryCut(byte[] wire)
    {
        var expected = DecodeWhole(wire);
        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var buffer = Sequences.Split(wire, cut);

            var status = FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, isCompleted: false, out var frame);

            Assert.AreEqual(FrameDecodeStatus.Complete, status, $"cut at {cut}");
            AssertSameFrame(expected, frame, $"cut at {cut}");
            Assert.IsTrue(buffer.IsEmpty, $"cut at {cut}: consumed exactly the frame");
        }
    }

    [TestMethod]
    [DynamicData(nameof(SampleFrames))]
    public void FrameWithEveryByteInItsOwnSegmentDecodesIdentically(byte[] wire)
    {
        var expected = DecodeWhole(wire);
        var buffer = Sequences.OneBytePerSegment(wire);

        var status = FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, isCompleted: true, out var frame);

        Assert.AreEqual(FrameDecodeStatus.Complete, status);
        AssertSameFrame(expected, frame, "one byte per segment");
        Assert.IsTrue(buffer.IsEmpty);
    }

    [TestMethod]
    [DynamicData(nameof(SampleFrames))]
    public void EveryProperPrefixNeedsMoreDataAndIsLeftUntouched(byte[] wire)
    {
        for (var length = 0; length < wire.Length; length++)
        {
            var prefix = wire.AsSpan(0, length).ToArray();
            foreach (var buffer in new[] { new ReadOnlySequence<byte>(prefix), Sequences.OneBytePerSegment(prefix) })
            {
                var before = buffer;
                var current = buffer;

                var status = FrameDecoder.TryDecode(ref current, ProtocolLimits.MaxPayloadLength, isCompleted: false, out var frame);

                Assert.AreEqual(FrameDecodeStatus.NeedMoreData, status, $"prefix of {length} bytes");
                Assert.AreEqual(before.Start, current.Start, $"prefix of {length} bytes: start moved");
                Assert.AreEqual(before.End, current.End, $"prefix of {length} bytes: end moved");
                Assert.AreEqual(default, frame);
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(SampleFrames))]
    public async Task FrameFedThroughAPipeOneByteAtATimeDecodesIdentically(byte[] wire)
    {
        var expected = DecodeWhole(wire);
        // Two copies back to back, so the second frame starts in the middle of a read.
        var stream = Frames.Concat(wire, wire);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
        var decoded = new List<(FrameHeader Header, byte[] Payload, int AfterByte)>();

        for (var i = 0; i < stream.Length; i++)
        {
            await pipe.Writer.WriteAsync(stream.AsMemory(i, 1));
            Assert.IsTrue(pipe.Reader.TryRead(out var result), $"byte {i} is readable");
            var buffer = result.Buffer;
            while (FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, result.IsCompleted, out var frame) is var status
                && status != FrameDecodeStatus.NeedMoreData)
            {
                Assert.AreEqual(FrameDecodeStatus.Complete, status, $"after byte {i}");
                decoded.Add((frame.Header, frame.Payload.ToArray(), i));
            }
            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
        }
        await pipe.Writer.CompleteAsync();
        Assert.IsTrue(pipe.Reader.TryRead(out var last));
        var rest = last.Buffer;
        Assert.AreEqual(FrameDecodeStatus.NeedMoreData, FrameDecoder.TryDecode(ref rest, ProtocolLimits.MaxPayloadLength, last.IsCompleted, out _),
            "a stream that ends between frames is a clean end, not a truncation");
        await pipe.Reader.CompleteAsync();

        Assert.HasCount(2, decoded);
        Assert.AreEqual(wire.Length - 1, decoded[0].AfterByte, "the first frame is complete with its last byte, not before");
        Assert.AreEqual(stream.Length - 1, decoded[1].AfterByte);
        foreach (var (header, payload, _) in decoded)
        {
            Assert.AreEqual(expected.Header, header);
            Frames.AssertBytesEqual(expected.Payload, payload, "payload");
        }
    }

    [TestMethod]
    public async Task PipeThatEndsInsideAFrameReportsATruncatedStream()
    {
        var wire = Frames.Sample();
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(wire.AsMemory(0, wire.Length - 1));
        await pipe.Writer.CompleteAsync();

        Assert.IsTrue(pipe.Reader.TryRead(out var result));
        var buffer = result.Buffer;

        Assert.IsTrue(result.IsCompleted);
        Assert.AreEqual(FrameDecodeStatus.TruncatedStream, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, result.IsCompleted, out _));
        await pipe.Reader.CompleteAsync();
    }

    private static (FrameHeader Header, byte[] Payload) DecodeWhole(byte[] wire)
    {
        var buffer = new ReadOnlySequence<byte>(wire);
        Assert.AreEqual(FrameDecodeStatus.Complete, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, true, out var frame));
        return (frame.Header, frame.Payload.ToArray());
    }

    private static void AssertSameFrame((FrameHeader Header, byte[] Payload) expected, Frame actual, string where)
    {
        Assert.AreEqual(expected.Header, actual.Header, where);
        Frames.AssertBytesEqual(expected.Payload, actual.Payload.ToArray(), where);
    }
}
