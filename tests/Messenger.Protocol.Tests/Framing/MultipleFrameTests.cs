using System.Buffers;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Framing;

/// <summary>One read may hold many frames (the server batches its writes): each comes out in order, nothing skipped.</summary>
[TestClass]
public sealed class MultipleFrameTests
{
    [TestMethod]
    public void ManyFramesInOneBufferDecodeInOrderAndAdvanceExactly()
    {
        var frames = ContractSamples.All.Select((c, i) => c.ToFrame((uint)i + 1))
            .Append(Frames.Raw(FrameType.ChunkData, 1000, new byte[4096]))
            .Append(Frames.Raw(FrameType.Ping, 1001, ReadOnlySpan<byte>.Empty))
            .ToArray();
        var ids = Enumerable.Range(1, ContractSamples.All.Count).Select(i => (uint)i).Append(1000u).Append(1001u).ToArray();
        var wire = Frames.Concat(frames);

        foreach (var (name, start) in new[] { ("one segment", new ReadOnlySequence<byte>(wire)), ("one byte per segment", Sequences.OneBytePerSegment(wire)) })
        {
            var buffer = start;
            long offset = 0;
            for (var i = 0; i < frames.Length; i++)
            {
                var status = FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, isCompleted: true, out var frame);

                Assert.AreEqual(FrameDecodeStatus.Complete, status, $"{name}: frame {i}");
                Frames.AssertBytesEqual(frames[i].AsSpan(FrameHeader.Size), frame.Payload.ToArray(), $"{name}: frame {i}");
                Assert.AreEqual(ids[i], frame.RequestId, $"{name}: frame {i} id");
                offset += frames[i].Length;
                Assert.AreEqual(offset, start.Slice(0, buffer.Start).Length, $"{name}: after frame {i} the buffer starts right after it");
                Assert.AreEqual(wire.Length - offset, buffer.Length, $"{name}: after frame {i}");
            }
            Assert.IsTrue(buffer.IsEmpty);
            Assert.AreEqual(FrameDecodeStatus.NeedMoreData, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, isCompleted: true, out _),
                "an empty buffer at the end of the stream is a clean end");
        }
    }

    [TestMethod]
    public void CompleteFramesComeOutAndAPartialTrailingFrameStaysInTheBuffer()
    {
        var first = Frames.Sample(1);
        var second = Frames.Sample(2);
        var partial = Frames.Sample(3).AsSpan(0, 25).ToArray();
        var buffer = new ReadOnlySequence<byte>(Frames.Concat(first, second, partial));

        Assert.AreEqual(FrameDecodeStatus.Complete, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, false, out var a));
        Assert.AreEqual(FrameDecodeStatus.Complete, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, false, out var b));
        Assert.AreEqual(FrameDecodeStatus.NeedMoreData, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, false, out _));

        Assert.AreEqual(1u, a.RequestId);
        Assert.AreEqual(2u, b.RequestId);
        Frames.AssertBytesEqual(partial, buffer.ToArray(), "left over");
        Assert.AreEqual(FrameDecodeStatus.TruncatedStream, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, true, out _));
    }

    [TestMethod]
    public void ABadFrameAfterGoodOnesStopsThereWithoutConsumingIt()
    {
        var good = Frames.Sample(1);
        var bad = Frames.WithUInt32(Frames.Sample(2), Frames.MagicOffset, 0x00000000);
        var buffer = new ReadOnlySequence<byte>(Frames.Concat(good, bad, good));

        Assert.AreEqual(FrameDecodeStatus.Complete, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, false, out _));
        var before = buffer;
        Assert.AreEqual(FrameDecodeStatus.BadMagic, FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, false, out var frame));

        Assert.AreEqual(before.Start, buffer.Start, "no resynchronising: the decoder does not skip ahead");
        Assert.AreEqual(default, frame);
    }
}
