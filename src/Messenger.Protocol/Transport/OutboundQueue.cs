using System.Buffers;

namespace Messenger.Protocol.Transport;

/// <summary>
/// One connection's outbound frames: bounded in bytes (frames range from 30 bytes to 1 MiB, so a count bounds
/// nothing), in two lanes (<see cref="OutboundLane"/>), drained by exactly one writer loop
/// (<see cref="RunWriterAsync"/>) that gathers what is queued into one write (one syscall, one run of TLS records).
/// Producers only queue and never touch the stream, so no socket I/O or encryption happens on a thread that holds a
/// caller's lock. What to do when it is full is the owner's policy (the server cuts a slow consumer). A thread that queues
/// a burst over many queues can hold the writers' wake-ups until its end (<see cref="DeferredWakes"/>).
/// </summary>
public sealed class OutboundQueue(long byteLimit)
{
    /// <summary>Up to this many queued bytes are gathered into one write.</summary>
    public const int MaxGatheredBytes = 64 * 1024;

    private readonly Lock gate = new();
    private readonly Queue<ReadOnlyMemory<byte>> control = new();
    private readonly Queue<ReadOnlyMemory<byte>> bulk = new();
    private readonly WriterSignal wake = new();
    private long queuedBytes;
    private bool completed;
    private bool writerWaiting;

    public long ByteLimit => byteLimit;

    /// <summary>
    /// Read without the gate (a gauge sampled from outside must not contend with the producers): a 64-bit read is
    /// atomic, and a figure a moment old is what a sampled depth means anyway.
    /// </summary>
    public long QueuedBytes => Interlocked.Read(ref queuedBytes);

    /// <summary>Queues a whole frame. A frame larger than the bound is taken when the queue is empty, so any frame the
    /// protocol allows can be sent.</summary>
    public EnqueueResult TryEnqueue(ReadOnlyMemory<byte> frame, OutboundLane lane = OutboundLane.Control)
    {
        bool wakeWriter;
        lock (gate)
        {
            if (completed)
            {
                return EnqueueResult.Closed;
            }
            if (queuedBytes > 0 && queuedBytes + frame.Length > byteLimit)
            {
                return EnqueueResult.Full;
            }
            (lane == OutboundLane.Control ? control : bulk).Enqueue(frame);
            queuedBytes += frame.Length;
            wakeWriter = TakeWaitingWriter();
        }
        if (wakeWriter)
        {
            DeferredWakes.Wake(wake); // now, or at the end of this thread's burst
        }
        return EnqueueResult.Queued;
    }

    /// <summary>No more frames: the writer writes what is queued, then its loop ends.</summary>
    public void Complete() => End(dropQueued: false);

    /// <summary>No more frames, and what is queued is dropped: the writer's loop ends after its current write.</summary>
    public void Abort() => End(dropQueued: true);

    /// <summary>
    /// The one writer: writes what is queued, control lane first, until the queue is completed and empty (or aborted:
    /// <see cref="Abort"/> wakes a waiting writer). <paramref name="cancellationToken"/> cancels a write in progress; an
    /// idle writer's wait holds no registration on it, so end the writer with <see cref="Complete"/> or <see cref="Abort"/>.
    /// Throws what the stream throws; the owner closes the connection then.
    /// </summary>
    public async Task RunWriterAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            ReadOnlyMemory<byte> chunk;
            byte[]? gathered = null;
            lock (gate)
            {
                if (control.Count + bulk.Count == 0)
                {
                    if (completed)
                    {
                        return;
                    }
                    writerWaiting = true;
                    chunk = ReadOnlyMemory<byte>.Empty;
                }
                else
                {
                    chunk = TakeGathered(out gathered);
                }
            }
            if (chunk.IsEmpty)
            {
                await wake.WaitAsync();
                continue;
            }
            try
            {
                await stream.WriteAsync(chunk, cancellationToken);
            }
            finally
            {
                // Rented per write, not per connection: 10,000 idle connections holding 64 KiB each were 640 MB.
                if (gathered is not null)
                {
                    ArrayPool<byte>.Shared.Return(gathered);
                }
            }
        }
    }

    private void End(bool dropQueued)
    {
        bool wakeWriter;
        lock (gate)
        {
            completed = true;
            if (dropQueued)
            {
                control.Clear();
                bulk.Clear();
                queuedBytes = 0;
            }
            wakeWriter = TakeWaitingWriter();
        }
        if (wakeWriter)
        {
            DeferredWakes.Wake(wake);
        }
    }

    /// <summary>Caller holds the gate. True once per wait: the semaphore is released at most once for it.</summary>
    private bool TakeWaitingWriter()
    {
        var waiting = writerWaiting;
        writerWaiting = false;
        return waiting;
    }

    /// <summary>Caller holds the gate; a lane is not empty. One frame as it is, or several copied into a pooled buffer
    /// (<paramref name="gatherBuffer"/>, to be returned after the write).</summary>
    private ReadOnlyMemory<byte> TakeGathered(out byte[]? gatherBuffer)
    {
        var first = Dequeue();
        if (first.Length >= MaxGatheredBytes || control.Count + bulk.Count == 0 || first.Length + Peek().Length > MaxGatheredBytes)
        {
            gatherBuffer = null;
            return first;
        }
        gatherBuffer = ArrayPool<byte>.Shared.Rent(MaxGatheredBytes);
        first.Span.CopyTo(gatherBuffer);
        var used = first.Length;
        while (control.Count + bulk.Count > 0 && used + Peek().Length <= MaxGatheredBytes)
        {
            var next = Dequeue();
            next.Span.CopyTo(gatherBuffer.AsSpan(used));
            used += next.Length;
        }
        return gatherBuffer.AsMemory(0, used);
    }

    private ReadOnlyMemory<byte> Peek() => control.Count > 0 ? control.Peek() : bulk.Peek();

    private ReadOnlyMemory<byte> Dequeue()
    {
        var frame = control.Count > 0 ? control.Dequeue() : bulk.Dequeue();
        queuedBytes -= frame.Length;
        return frame;
    }
}
