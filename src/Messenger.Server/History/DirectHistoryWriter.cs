using System.Collections.Concurrent;
using Messenger.Server.Guests;
using Messenger.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.History;

/// <summary>
/// Keeps every accepted direct message in its conversation's history, off the delivery's path: <see cref="Record"/>
/// encodes the message into the batch that is filling (on the sender's thread, while the message is in cache; no task,
/// no store call per message), and one flush at a time gathers for <see cref="GatherFor"/> (cut short by a history
/// read or a stop), then hands the whole batch to the store in one commit; rows recorded meanwhile fill the next batch,
/// which (unless the last had at least <see cref="FullBatch"/>) gathers for <see cref="GatherFor"/> again first. So a
/// delivery never waits for the disk, and a busy server pays the store's work per message and a few commits a second,
/// not one per handful of messages. At most <see cref="MaxQueued"/> rows wait (a disk slower than the traffic cannot
/// grow memory without bound); past that they are dropped and counted (docs/ARCHITECTURE.md "Rooms and history").
/// </summary>
/// <param name="enabled">False when the server keeps no direct history (ServerOptions.KeepDirectHistory): nothing is queued.</param>
/// <param name="time">The clock the gathering waits on (null: the system's).</param>
public sealed class DirectHistoryWriter(IDirectHistory store, WriteBehind owner, GuestNames guests, ILogger logger, bool enabled = true,
    TimeProvider? time = null)
{
    /// <summary>A batch this large means the store is behind the traffic: the next one is written without gathering.</summary>
    public const int FullBatch = 2048;

    /// <summary>
    /// How long a flush gathers rows before its first commit. At W2's 20,000 messages a second, committing as rows came
    /// made hundreds of commits (and fsyncs) a second: gathering for 25 ms cut the server's CPU per message by ~10 %
    /// (2 A/B pairs). 200 ms cut it by ~12 % but one big commit five times a second took the CPU from deliveries and
    /// raised p99 by half. History only promises what was accepted before a read or a stop, and both cut it short.
    /// </summary>
    public static readonly TimeSpan GatherFor = TimeSpan.FromMilliseconds(25);

    /// <summary>Rows waiting at most: a few MB, seconds of the heaviest traffic the server takes.</summary>
    public const int MaxQueued = 50_000;

    /// <summary>Interned conversations kept at most; past that the table starts again (a pair is a value: nothing breaks).</summary>
    private const int MaxPairs = 100_000;

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<(string Low, string High), ConversationPair> pairs = new();
    private readonly Lock gate = new();
    private DirectHistoryBatch filling = new();
    private DirectHistoryBatch? spare = new();

    /// <summary>Rows of the batch the store is writing (under <see cref="gate"/>): they still count as waiting.</summary>
    private int writing;
    private bool flushing;
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
        var pair = Intern(message.Sender, message.Recipient);
        var record = DirectHistoryBatch.Encode(pair, message);
        bool kept, start = false;
        lock (gate)
        {
            kept = filling.Count + writing < MaxQueued;
            if (kept)
            {
                filling.Add(pair, record);
                (start, flushing) = (!flushing, true);
            }
        }
        if (start)
        {
            owner.Run("keeping direct-message history", FlushAsync);
        }
        else if (!kept && Interlocked.Increment(ref dropped) % 10_000 == 1)
        {
            logger.LogWarning("The store is behind: {Count} direct messages were left out of history so far", Dropped);
        }
    }

    /// <summary>The shared instance of a conversation, found while the sender's names are in cache.</summary>
    private ConversationPair Intern(string sender, string recipient)
    {
        var key = ConversationPair.Order(sender, recipient);
        if (pairs.TryGetValue(key, out var pair))
        {
            return pair;
        }
        if (pairs.Count >= MaxPairs)
        {
            pairs.Clear();
        }
        return pairs.GetOrAdd(key, static k => ConversationPair.Of(k.Low, k.High));
    }

    /// <summary>
    /// Writes batches until none is filling; exactly one runs at a time (<see cref="flushing"/>). After a batch below
    /// <see cref="FullBatch"/> it gathers again before the next: writing at once what came during a commit made a commit
    /// of 3-4 rows each at 2,000 messages a second (~500 commits a second, seen in a cluster's PostgreSQL).
    /// </summary>
    private async Task FlushAsync()
    {
        // Taken once: a drain (history read, stop) during this flush completes this task, and no later gathering of
        // this flush waits after it (a drain replaces the owner's task with a fresh one).
        var hurried = owner.Hurried;
        try
        {
            await Task.WhenAny(Task.Delay(GatherFor, clock), hurried);
            while (TakeFilling() is { } batch)
            {
                var count = batch.Count;
                try
                {
                    await store.AppendDirectHistoryAsync(batch);
                }
                finally
                {
                    Written(batch);
                }
                if (count < FullBatch && !hurried.IsCompleted)
                {
                    await Task.WhenAny(Task.Delay(GatherFor, clock), hurried);
                }
            }
        }
        catch
        {
            lock (gate)
            {
                flushing = false; // That batch is lost (and logged by the owner); the next row starts a new flush.
            }
            throw;
        }
    }

    /// <summary>The batch that filled, swapped for the spare; null (and the flush ends) when none has rows.</summary>
    private DirectHistoryBatch? TakeFilling()
    {
        lock (gate)
        {
            if (filling.Count == 0)
            {
                flushing = false;
                return null;
            }
            var batch = filling;
            (filling, spare, writing) = (spare ?? new(), null, batch.Count);
            return batch;
        }
    }

    /// <summary>After the store took <paramref name="batch"/> (or failed): its rows wait no more, and it is the next spare.</summary>
    private void Written(DirectHistoryBatch batch)
    {
        var count = batch.Count;
        batch.Clear();
        lock (gate)
        {
            (writing, spare) = (writing - count, batch);
        }
    }
}
