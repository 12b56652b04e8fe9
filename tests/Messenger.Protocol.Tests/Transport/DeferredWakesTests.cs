using Messenger.Protocol.Transport;

namespace Messenger.Protocol.Tests.Transport;

/// <summary>
/// Deferred writer wake-ups: a burst queued inside a window goes out in one write after it, each waiting writer is woken
/// exactly once, and no wake-up is lost (a window ends before any await that yields, and on failure).
/// </summary>
[TestClass]
public sealed class DeferredWakesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Long enough for a woken writer to write on an idle pool; the wait that must time out is bounded by it.</summary>
    private static readonly TimeSpan WokenWriterWouldHaveWritten = TimeSpan.FromMilliseconds(300);

    [TestMethod]
    public async Task FramesQueuedInsideAWindowAreWrittenOnlyAfterItEndsAndThenInOneWrite()
    {
        var (queue, output, writer) = WaitingWriter();

        var writtenInsideTheWindow = QueueInsideAWindow(queue, [Bytes(2, 10), Bytes(3, 10), Bytes(4, 10)], output);

        Assert.IsFalse(writtenInsideTheWindow, "the writer was not woken while the window was open");
        await output.WaitForBytesAsync(30).WaitAsync(Timeout);
        Assert.AreEqual(1, output.Writes, "the window's three frames in one write");
        queue.Complete();
        await writer.WaitAsync(Timeout);
    }

    [TestMethod]
    public async Task EachWaitingWriterIsWokenOnceWhenTheWindowEndsAndAFrameQueuedAfterIsNotLost()
    {
        var first = WaitingWriter();
        var second = WaitingWriter();

        Assert.IsTrue(DeferredWakes.Begin());
        first.Queue.TryEnqueue(Bytes(2, 5));
        second.Queue.TryEnqueue(Bytes(2, 5));
        first.Queue.TryEnqueue(Bytes(3, 5));
        DeferredWakes.End();
        first.Queue.TryEnqueue(Bytes(4, 5)); // the writer is already woken (or writing): no second wake-up, nothing lost

        await first.Output.WaitForBytesAsync(15).WaitAsync(Timeout);
        await second.Output.WaitForBytesAsync(5).WaitAsync(Timeout);
        first.Queue.Complete();
        second.Queue.Complete();
        await Task.WhenAll(first.Writer, second.Writer).WaitAsync(Timeout);
        CollectionAssert.AreEqual(Bytes(2, 5).Concat(Bytes(3, 5)).Concat(Bytes(4, 5)).ToArray(), first.Output.Written.ToArray());
    }

    [TestMethod]
    public async Task CompleteAndAbortInsideAWindowEndTheirWritersWhenItEnds()
    {
        var completed = WaitingWriter();
        var aborted = WaitingWriter();

        Assert.IsTrue(DeferredWakes.Begin());
        completed.Queue.TryEnqueue(Bytes(2, 1));
        completed.Queue.Complete();
        aborted.Queue.Abort();
        DeferredWakes.End();

        await Task.WhenAll(completed.Writer, aborted.Writer).WaitAsync(Timeout);
        CollectionAssert.AreEqual(new byte[] { 2 }, completed.Output.Written.ToArray());
    }

    [TestMethod]
    public async Task AHandlingThatYieldsEndsTheWindowBeforeItIsAwaitedSoAWriterItWaitsForRuns()
    {
        var (queue, output, writer) = WaitingWriter();
        var deferringInEach = new List<bool>();

        await DeferredWakes.ForEachAsync([2, 3, 4], async value =>
        {
            deferringInEach.Add(DeferredWakes.IsDeferring);
            queue.TryEnqueue(Bytes((byte)value, 1));
            if (value == 3)
            {
                // Waits for its own frame to be written: a window left open across this await would never wake the writer.
                await output.WaitForBytesAsync(2).WaitAsync(Timeout);
            }
        }).AsTask().WaitAsync(Timeout);

        Assert.IsFalse(DeferredWakes.IsDeferring, "the window is closed after the last item");
        CollectionAssert.AreEqual(new[] { true, true, true }, deferringInEach, "deferring again after the handling that yielded");
        await output.WaitForBytesAsync(3).WaitAsync(Timeout);
        queue.Complete();
        await writer.WaitAsync(Timeout);
        CollectionAssert.AreEqual(new byte[] { 2, 3, 4 }, output.Written.ToArray());
    }

    [TestMethod]
    public async Task AHandlingThatFailsStillWakesTheWritersOfWhatWasQueuedBeforeIt()
    {
        var (queue, output, writer) = WaitingWriter();

        var failure = await Assert.ThrowsExactlyAsync<InvalidDataException>(() => DeferredWakes.ForEachAsync([2, 3], value =>
        {
            queue.TryEnqueue(Bytes((byte)value, 1));
            return value == 3 ? ValueTask.FromException(new InvalidDataException("bad item")) : ValueTask.CompletedTask;
        }).AsTask());

        Assert.AreEqual("bad item", failure.Message);
        Assert.IsFalse(DeferredWakes.IsDeferring);
        await output.WaitForBytesAsync(2).WaitAsync(Timeout);
        queue.Complete();
        await writer.WaitAsync(Timeout);
    }

    [TestMethod]
    public async Task AWindowOpenedInsideAnotherJoinsItAndTheOuterEndWakesTheWriter()
    {
        var (queue, output, writer) = WaitingWriter();

        Assert.IsTrue(DeferredWakes.Begin());
        Assert.IsFalse(DeferredWakes.Begin(), "already deferring: the inner code joins the window and does not end it");
        queue.TryEnqueue(Bytes(2, 1));
        Assert.IsTrue(DeferredWakes.IsDeferring);
        DeferredWakes.End();

        Assert.IsFalse(DeferredWakes.IsDeferring);
        await output.WaitForBytesAsync(1).WaitAsync(Timeout);
        queue.Complete();
        await writer.WaitAsync(Timeout);
    }

    /// <summary>
    /// Queues <paramref name="frames"/> inside a window, waits as long as a woken writer would take to write, ends the window
    /// (a second wake-up for the same wait would throw there) and says whether anything was written before it ended.
    /// Synchronous: the window is this thread's, so nothing may await (and move threads) before it ends.
    /// </summary>
    private static bool QueueInsideAWindow(OutboundQueue queue, byte[][] frames, RecordingStream output)
    {
        Assert.IsTrue(DeferredWakes.Begin());
        foreach (var frame in frames)
        {
            queue.TryEnqueue(frame);
        }
#pragma warning disable VSTHRD002
        var written = output.WaitForBytesAsync(1).Wait(WokenWriterWouldHaveWritten);
#pragma warning restore VSTHRD002
        DeferredWakes.End();
        return written;
    }

    /// <summary>A queue whose writer waits for a wake-up: started on an empty queue, it runs to its wait before returning.</summary>
    private static (OutboundQueue Queue, RecordingStream Output, Task Writer) WaitingWriter()
    {
        var queue = new OutboundQueue(1 << 20);
        var output = new RecordingStream();
        var writer = queue.RunWriterAsync(output);
        Assert.IsFalse(writer.IsCompleted);
        return (queue, output, writer);
    }

    private static byte[] Bytes(byte value, int count) => Enumerable.Repeat(value, count).ToArray();
}
