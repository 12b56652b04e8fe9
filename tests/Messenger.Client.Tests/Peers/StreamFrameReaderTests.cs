using System.Buffers;
using Messenger.Client.Peers;
using Messenger.Client.Swarm;
using Messenger.Protocol;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Tests.Peers;

[TestClass]
public sealed class StreamFrameReaderTests
{
    [TestMethod]
    public async Task FramesArriveWholeInOrderWithTheirPayloadOnABlockBoundaryThenNullAtTheEnd()
    {
        var big = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        var small = "not here"u8.ToArray();
        // A stream that hands out a few bytes per read, so frames straddle many reads.
        var reader = new StreamFrameReader(new TrickleStream(Concat(Frame(FrameType.ChunkData, 5, big), Frame(FrameType.Response, 6, small)), 777),
            ProtocolLimits.MaxPayloadLength);

        var first = await reader.ReadAsync(CancellationToken.None);
        Assert.IsNotNull(first);
        Assert.AreEqual(FrameType.ChunkData, first.Value.Type);
        Assert.AreEqual(5u, first.Value.RequestId);
        CollectionAssert.AreEqual(big, first.Value.Payload.ToArray());
        Assert.IsTrue(DirectWrites.CanWrite(first.Value.Payload.First[..65536], 0, out var pin), "the payload can be written with O_DIRECT");
        pin.Dispose();

        var second = await reader.ReadAsync(CancellationToken.None);
        Assert.IsNotNull(second);
        Assert.AreEqual(6u, second.Value.RequestId);
        CollectionAssert.AreEqual(small, second.Value.Payload.ToArray());
        Assert.IsNull(await reader.ReadAsync(CancellationToken.None));
    }

    [TestMethod]
    public async Task ACorruptedPayloadATooLargeLengthAndATruncatedFrameAreRefused()
    {
        var frame = Frame(FrameType.ChunkData, 1, new byte[1000]);
        frame[^1] ^= 1;
        var corrupt = await Assert.ThrowsExactlyAsync<ProtocolException>(() => ReadOnceAsync(frame, ProtocolLimits.MaxPayloadLength));
        Assert.AreEqual(FrameDecodeStatus.ChecksumMismatch, corrupt.Status);

        var tooLarge = await Assert.ThrowsExactlyAsync<ProtocolException>(() => ReadOnceAsync(Frame(FrameType.ChunkData, 1, new byte[1000]), 999));
        Assert.AreEqual(FrameDecodeStatus.PayloadTooLarge, tooLarge.Status);

        await Assert.ThrowsAsync<IOException>(() => ReadOnceAsync(Frame(FrameType.ChunkData, 1, new byte[1000])[..500], 4096));
        var truncated = await Assert.ThrowsExactlyAsync<ProtocolException>(() => ReadOnceAsync(Frame(FrameType.ChunkData, 1, new byte[1000])[..10], 4096));
        Assert.AreEqual(FrameDecodeStatus.TruncatedStream, truncated.Status);
    }

    private static async Task ReadOnceAsync(byte[] bytes, int limit) =>
        await new StreamFrameReader(new MemoryStream(bytes), limit).ReadAsync(CancellationToken.None);

    private static byte[] Frame(FrameType type, uint requestId, byte[] payload)
    {
        var frame = new byte[FrameHeader.Size + payload.Length];
        new FrameHeader(type, requestId, payload.Length, Crc32C.Compute(payload)).WriteTo(frame);
        payload.CopyTo(frame, FrameHeader.Size);
        return frame;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>A read-only stream that returns at most <c>step</c> bytes per read, as a socket may.</summary>
    private sealed class TrickleStream(byte[] bytes, int step) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(step, buffer.Length)], cancellationToken);
    }
}
