using Messenger.Protocol.Transport;

namespace Messenger.Protocol.Tests.Transport;

/// <summary>The one outbound queue: bounded in bytes, control before bulk, one writer that gathers, producers never write.</summary>
[TestClass]
public sealed class OutboundQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task ControlFramesGoOutBeforeBulkFramesQueuedEarlier()
    {
        var queue = new OutboundQueue(1 << 20);
        queue.TryEnqueue(Bytes(1, 10), OutboundLane.Bulk);
        queue.TryEnqueue(Bytes(2, 10), OutboundLane.Bulk);
        queue.TryEnqueue(Bytes(3, 10), OutboundLane.Control);
        queue.Complete();
        var output = new RecordingStream();

        await queue.RunWriterAsync(output).WaitAsync(Timeout);

        CollectionAssert.AreEqual(Bytes(3, 10).Concat(Bytes(1, 10)).Concat(Bytes(2, 10)).ToArray(), output.Written.ToArray());
    }

    [TestMethod]
    public void TheBoundIsInBytesAndAFullQueueRefusesWithoutDroppingWhatItHolds()
    {
        var queue = new OutboundQueue(100);

        Assert.AreEqual(EnqueueResult.Queued, queue.TryEnqueue(new byte[60]));
        Assert.AreEqual(EnqueueResult.Full, queue.TryEnqueue(new byte[50]), "60 + 50 is past 100");
        Assert.AreEqual(EnqueueResult.Queued, queue.TryEnqueue(new byte[40]), "60 + 40 is not");
        Assert.AreEqual(100, queue.QueuedBytes);
    }

    [TestMethod]
    public void AFrameLargerThanTheBoundIsTakenWhenNothingElseWaits()
    {
        var queue = new OutboundQueue(100);

        Assert.AreEqual(EnqueueResult.Queued, queue.TryEnqueue(new byte[500]));
        Assert.AreEqual(EnqueueResult.Full, queue.TryEnqueue(new byte[1]));
    }

    [TestMethod]
    public async Task WhatIsQueuedWhenTheWriterRunsGoesOutInOneWrite()
    {
        var queue = new OutboundQueue(1 << 20);
        for (byte i = 0; i < 50; i++)
        {
            queue.TryEnqueue(Bytes(i, 100), i % 2 == 0 ? OutboundLane.Control : OutboundLane.Bulk);
        }
        queue.Complete();
        var output = new RecordingStream();

        await queue.RunWriterAsync(output).WaitAsync(Timeout);

        Assert.AreEqual(1, output.Writes, "5,000 bytes in 50 frames, one write");
        Assert.AreEqual(5000, output.Written.Count);
    }

    [TestMethod]
    public async Task ProducersNeverWriteOnTheirOwnThreadSoNoWriteHappensUnderTheirLock()
    {
        var queue = new OutboundQueue(1 << 20);
        var callersLock = new object();
        var output = new RecordingStream { LockToCheck = callersLock };
        var writer = queue.RunWriterAsync(output);
        for (var i = 0; i < 200; i++)
        {
            lock (callersLock)
            {
                queue.TryEnqueue(Bytes((byte)i, 10));
            }
        }
        queue.Complete();
        await writer.WaitAsync(Timeout);

        Assert.AreEqual(2000, output.Written.Count, "everything written");
        Assert.AreEqual(0, output.WritesUnderLock, "no write ran while a producer held its lock");
    }

    [TestMethod]
    public async Task AbortDropsWhatIsQueuedAndRefusesMore()
    {
        var queue = new OutboundQueue(1 << 20);
        queue.TryEnqueue(new byte[10]);
        queue.Abort();
        var output = new RecordingStream();

        await queue.RunWriterAsync(output).WaitAsync(Timeout);

        Assert.AreEqual(0, output.Written.Count);
        Assert.AreEqual(EnqueueResult.Closed, queue.TryEnqueue(new byte[10]));
        Assert.AreEqual(0, queue.QueuedBytes);
    }

    [TestMethod]
    public async Task AWriteThatFailsEndsTheWriterWithThatFailure()
    {
        var queue = new OutboundQueue(1 << 20);
        queue.TryEnqueue(new byte[10]);
        var output = new RecordingStream { Failure = new IOException("connection reset") };

        var failure = await Assert.ThrowsExactlyAsync<IOException>(() => queue.RunWriterAsync(output).WaitAsync(Timeout));

        Assert.AreEqual("connection reset", failure.Message);
    }

    [TestMethod]
    public async Task AWaitingWriterWakesForEachNewFrame()
    {
        var queue = new OutboundQueue(1 << 20);
        var output = new RecordingStream();
        var writer = queue.RunWriterAsync(output);
        for (byte i = 1; i <= 3; i++)
        {
            queue.TryEnqueue(Bytes(i, 1));
            await output.WaitForBytesAsync(i).WaitAsync(Timeout);
        }
        queue.Complete();
        await writer.WaitAsync(Timeout);

        CollectionAssert.AreEqual(new byte[] { 1, 2, 3 }, output.Written.ToArray());
    }

    [TestMethod]
    public async Task AnAbortEndsAWriterThatIsWaitingForFrames()
    {
        var queue = new OutboundQueue(1 << 20);
        var output = new RecordingStream();
        var writer = queue.RunWriterAsync(output);
        queue.TryEnqueue(Bytes(1, 1));
        await output.WaitForBytesAsync(1).WaitAsync(Timeout); // The writer has written it and waits again.

        queue.Abort();

        await writer.WaitAsync(Timeout);
        Assert.AreEqual(EnqueueResult.Closed, queue.TryEnqueue(Bytes(2, 1)));
    }

    private static byte[] Bytes(byte value, int count) => Enumerable.Repeat(value, count).ToArray();
}
