using Messenger.Protocol.Transport;

namespace Messenger.Protocol.Tests.Transport;

/// <summary>Writers woken once per burst: frames queued inside a batch go out together when it ends, and none is left asleep.</summary>
[TestClass]
public sealed class WakeBatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task FramesQueuedForAWaitingWriterDuringABatchAreWrittenInOneWriteWhenItEnds()
    {
        var queue = new OutboundQueue(1 << 20);
        var output = new RecordingStream();
        var writer = queue.RunWriterAsync(output); // nothing queued: it returns at its wait

        using (WakeBatch.Begin())
        {
            queue.TryEnqueue(Bytes(1, 10));
            queue.TryEnqueue(Bytes(2, 10));
            queue.TryEnqueue(Bytes(3, 10));
            Assert.AreEqual(0, output.Writes, "the writer is not woken inside the batch");
        }
        await output.WaitForBytesAsync(30).WaitAsync(Timeout);

        Assert.AreEqual(1, output.Writes);
        queue.TryEnqueue(Bytes(4, 10)); // after the batch: woken at once
        await output.WaitForBytesAsync(40).WaitAsync(Timeout);
        queue.Complete();
        await writer.WaitAsync(Timeout);
    }

    [TestMethod]
    public async Task ABatchBegunInsideAnotherHoldsNothingOfItsOwnAndTheOuterOneWakesEveryWriter()
    {
        var (first, second) = (new OutboundQueue(1 << 20), new OutboundQueue(1 << 20));
        var (firstOutput, secondOutput) = (new RecordingStream(), new RecordingStream());
        var writers = new[] { first.RunWriterAsync(firstOutput), second.RunWriterAsync(secondOutput) };

        using (WakeBatch.Begin())
        {
            using (WakeBatch.Begin())
            {
                first.TryEnqueue(Bytes(1, 10));
            }
            second.TryEnqueue(Bytes(2, 10));
            Assert.AreEqual(0, firstOutput.Writes, "the inner batch's end wakes nothing: the outer one holds");
        }
        await Task.WhenAll(firstOutput.WaitForBytesAsync(10), secondOutput.WaitForBytesAsync(10)).WaitAsync(Timeout);

        first.Complete();
        second.Complete();
        await Task.WhenAll(writers).WaitAsync(Timeout);
    }

    [TestMethod]
    public async Task ABatchEndedOnAnotherThreadStillWakesItsWritersAndItsThreadWakesAtOnceAfter()
    {
        var queue = new OutboundQueue(1 << 20);
        var output = new RecordingStream();
        var writer = queue.RunWriterAsync(output);
        var batch = WakeBatch.Begin();
        queue.TryEnqueue(Bytes(1, 10));

        await Task.Run(batch.Dispose); // as if the batch's owner had gone on elsewhere
        await output.WaitForBytesAsync(10).WaitAsync(Timeout);
        queue.TryEnqueue(Bytes(2, 10)); // this thread's batch has ended: nothing holds this wake-up
        await output.WaitForBytesAsync(20).WaitAsync(Timeout);

        queue.Complete();
        await writer.WaitAsync(Timeout);
    }

    private static byte[] Bytes(byte value, int count) => Enumerable.Repeat(value, count).ToArray();
}
