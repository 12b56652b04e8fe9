using System.IO.Pipelines;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;
using Messenger.Protocol.Transport;

namespace Messenger.Protocol.Tests.Transport;

/// <summary>The one read loop: frames in order however the bytes arrive, a size window per frame, clear ends.</summary>
[TestClass]
public sealed class FrameReaderTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task FramesArrivingAFewBytesAtATimeComeOutWholeAndInOrder()
    {
        var wire = Frames.Concat(Frames.Raw(FrameType.Ping, 1, [1, 2, 3]), Frames.Raw(FrameType.Ping, 2, new byte[5000]), Frames.Raw(FrameType.Ping, 3, []));
        var pipe = new Pipe();
        var ids = new List<uint>();
        var reading = FrameReader.ReadAllAsync(pipe.Reader, () => 1 << 20, frame =>
        {
            ids.Add(frame.RequestId);
            return ValueTask.FromResult(true);
        });
        foreach (var piece in wire.Chunk(7))
        {
            await pipe.Writer.WriteAsync(piece);
        }
        await pipe.Writer.CompleteAsync();

        Assert.AreEqual(FrameReadEnd.EndOfStream, await reading.WaitAsync(Timeout));
        CollectionAssert.AreEqual(new uint[] { 1, 2, 3 }, ids);
    }

    [TestMethod]
    public async Task TheSizeWindowIsAskedForEachFrame()
    {
        // Like a login: small frames until the first is handled, then the full window.
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frames.Concat(Frames.Raw(FrameType.Ping, 1, new byte[100]), Frames.Raw(FrameType.Ping, 2, new byte[100])));
        await pipe.Writer.CompleteAsync();
        var window = 1 << 20;

        var end = await FrameReader.ReadAllAsync(pipe.Reader, () => window, _ =>
        {
            window = 50;
            return ValueTask.FromResult(true);
        }).WaitAsync(Timeout);

        Assert.AreEqual(FrameReadEnd.Broken(FrameDecodeStatus.PayloadTooLarge), end);
    }

    [TestMethod]
    public async Task AHandlerCanStopTheLoopAndTheRestIsLeftUnread()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frames.Concat(Frames.Raw(FrameType.Ping, 1, []), Frames.Raw(FrameType.Ping, 2, [])));
        var handled = 0;

        var end = await FrameReader.ReadAllAsync(pipe.Reader, () => 1024, _ => ValueTask.FromResult(++handled < 1)).WaitAsync(Timeout);

        Assert.AreEqual(FrameReadEnd.Stopped, end);
        Assert.AreEqual(1, handled);
        Assert.AreEqual(2u, (await FrameReader.ReadOneAsync(pipe.Reader, 1024).WaitAsync(Timeout))!.RequestId, "the second frame is still there");
    }

    [TestMethod]
    public async Task AStreamThatEndsInsideAFrameIsATruncatedStreamNotACleanEnd()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frames.Raw(FrameType.Ping, 1, new byte[10]).AsMemory(0, 20));
        await pipe.Writer.CompleteAsync();

        var end = await FrameReader.ReadAllAsync(pipe.Reader, () => 1024, _ => ValueTask.FromResult(true)).WaitAsync(Timeout);

        Assert.AreEqual(FrameReadEnd.Broken(FrameDecodeStatus.TruncatedStream), end);
    }

    [TestMethod]
    public async Task ReadOneCopiesTheFrameAndReturnsNullAtACleanEnd()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frames.Raw(FrameType.Ping, 9, [7, 8]));
        await pipe.Writer.CompleteAsync();

        var frame = await FrameReader.ReadOneAsync(pipe.Reader, 1024).WaitAsync(Timeout);
        var end = await FrameReader.ReadOneAsync(pipe.Reader, 1024).WaitAsync(Timeout);

        Assert.AreEqual(9u, frame!.RequestId);
        CollectionAssert.AreEqual(new byte[] { 7, 8 }, frame.Payload);
        Assert.IsNull(end);
    }

    [TestMethod]
    public async Task ReadOneThrowsOnABrokenFrame()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(Frames.WithUInt32(Frames.Raw(FrameType.Ping, 1, []), 0, 0xDEADBEEF));

        var failure = await Assert.ThrowsExactlyAsync<ProtocolException>(() => FrameReader.ReadOneAsync(pipe.Reader, 1024).WaitAsync(Timeout));

        Assert.AreEqual(FrameDecodeStatus.BadMagic, failure.Status);
    }
}
