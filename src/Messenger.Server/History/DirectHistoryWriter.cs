using System.Collections.Concurrent;
using Messenger.Server.Guests;
using Messenger.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.History;

/// <summary>
/// Keeps every accepted direct message in its conversation's history, off the delivery's path: <see cref="Record"/>
/// only queues the row in memory (no task, no store call per message), and one flush at a time gathers rows for
/// <see cref="GatherFor"/> (cut short by a history read or a stop), then writes what is queued in batches of up to
/// <see cref="MaxBatch"/>, one commit each; rows queued while a batch's fsync runs go in the next, which (unless the
/// last was full) gathers for <see cref="GatherFor"/> again first. So a delivery never
/// waits for the disk, and a busy server pays the store's work per message (SQLite: a record copied into a log blob,
/// later into its conversation's chunk) and a few commits a second, not one per handful of messages. At most <see cref="MaxQueued"/> rows wait (a disk slower than the traffic cannot grow
/// memory without bound); past that they are dropped and counted (docs/ARCHITECTURE.md "Rooms and history").
/// </summary>
/// <param name="enabled">False when the server keeps no direct history (ServerOptions.KeepDirectHistory): nothing is queued.</param>
/// <param name="time">The clock the gathering waits on (null: the system's).</param>
public sealed class DirectHistoryWriter(IDirectHistory store, WriteBehind owner, GuestNames guests, ILogger logger, bool enabled = true,
    TimeProvider? time = null)
{
    public const int MaxBatch = 2048;

    /// <summary>
    /// How long a flush gathers rows before its first commit. At W2's 20,000 messages a second, committing as rows came
    /// made hundreds of commits (and fsyncs) a second: gathering for 25 ms cut the server's CPU per message by ~10 %
    /// (2 A/B pairs). 200 ms cut it by ~12 % but one big commit five times a second took the CPU from deliveries and
    /// raised p99 by half. History only promises what was accepted before a read or a stop, and both cut it short.
    /// </summary>
    public static readonly TimeSpan GatherFor = TimeSpan.FromMilliseconds(25);

    /// <summary>Rows waiting at most: about 10 MB, seconds of the heaviest traffic the server takes.</summary>
    public const int MaxQueued = 50_000;

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly ConcurrentQueue<StoredMessage> queue = new();
    private int queued;
    private int flushing;
    private long dropped;

    /// <summary>Rows dropped because <see cref="MaxQueued"/> were already waiting.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>Queues an accepted direct message for history; nothing is kept of a guest's conversations.</summary>
    public void Record(StoredMessage message)
    {
        if (!enabled || guests.IsGuest(message.Sender) || guests.IsGuest(message.Recipient))
        {
            return;
        }
        if (Interlocked.Increment(ref queued) > MaxQueued)
        {
            Interlocked.Decrement(ref queued);
            if (Interlocked.Increment(ref dropped) % 10_000 == 1)
            {
                logger.LogWarning("The store is behind: {Count} direct messages were left out of history so far", Dropped);
            }
            return;
        }
        queue.Enqueue(message);
        // Read before the exchange: a failing exchange still takes the cache line from the other core's senders.
        if (Volatile.Read(ref flushing) == 0 && Interlocked.CompareExchange(ref flushing, 1, 0) == 0)
        {
            owner.Run("keeping direct-message history", FlushAsync);
        }
    }

    /// <summary>
    /// Writes batches until the queue is empty; exactly one runs at a time (<see cref="flushing"/>). After a batch that
    /// was not full it gathers again before the next: writing at once what queued during a commit made a commit of 3-4
    /// rows each at 2,000 messages a second (~500 commits a second, seen in a cluster's PostgreSQL).
    /// </summary>
    private async Task FlushAsync()
    {
        // Taken once: a drain (history read, stop) during this flush completes this task, and no later gathering of
        // this flush waits after it (a drain replaces the owner's task with a fresh one).
        var hurried = owner.Hurried;
        try
        {
            await Task.WhenAny(Task.Delay(GatherFor, clock), hurried);
            while (true)
            {
                var batch = new List<StoredMessage>(Math.Min(MaxBatch, Volatile.Read(ref queued)));
                while (batch.Count < MaxBatch && queue.TryDequeue(out var message))
                {
                    batch.Add(message);
                }
                if (batch.Count > 0)
                {
                    try
                    {
                        await store.AppendDirectHistoryAsync(batch);
                    }
                    finally
                    {
                        Interlocked.Add(ref queued, -batch.Count);
                    }
                    if (batch.Count < MaxBatch && !hurried.IsCompleted)
                    {
                        await Task.WhenAny(Task.Delay(GatherFor, clock), hurried);
                    }
                    continue;
                }
                // A full fence (not a release write): the check of the queue below must not be read before the flag
                // drops, or a row queued in between would find the flush running and this flush would not see it.
                Interlocked.Exchange(ref flushing, 0);
                // A row queued after the last dequeue but before the flag dropped found the flush running: take it on.
                if (queue.IsEmpty || Interlocked.CompareExchange(ref flushing, 1, 0) != 0)
                {
                    return;
                }
            }
        }
        catch
        {
            Volatile.Write(ref flushing, 0); // That batch is lost (and logged by the owner); the next row starts a new flush.
            throw;
        }
    }
}
