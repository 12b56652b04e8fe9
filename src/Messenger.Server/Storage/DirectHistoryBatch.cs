using System.Buffers;
using System.Collections;
using System.Runtime.InteropServices;

namespace Messenger.Server.Storage;

/// <summary>
/// Direct messages on their way into history, already encoded: each one's <see cref="DirectHistoryRecord"/> back to
/// back in one buffer, and per record its conversation. History's writer fills one on the senders' threads, while
/// each message is still in cache, so the store's writer reads sequential bytes instead of chasing every message's
/// objects (measured: cold messages made the store's per-row work ~50 % dearer). Not thread-safe: the writer adds
/// under its lock and hands a batch to the store whole.
/// </summary>
public sealed class DirectHistoryBatch : IEnumerable<StoredMessage>
{
    /// <summary>
    /// A batch keeps its buffer for the next up to this size (a full queue of W1's texts), so a burst of long texts does
    /// not keep its megabytes. Below it the buffer is reused: a fresh large array per batch cost page faults on every
    /// first touch (~7 % of the server's CPU at W1, perf).
    /// </summary>
    private const int KeptBytes = 4 * 1024 * 1024;

    private ArrayBufferWriter<byte> records = new(64 * 1024);
    private readonly List<Entry> entries = [];

    /// <summary>Messages in the batch.</summary>
    public int Count => entries.Count;

    /// <summary>The records, back to back.</summary>
    internal ReadOnlySpan<byte> Records => records.WrittenSpan;

    /// <summary>Each record's conversation and place in <see cref="Records"/>, in the order they were added.</summary>
    internal ReadOnlySpan<Entry> Entries => CollectionsMarshal.AsSpan(entries);

    /// <summary>Adds a message of the conversation <paramref name="pair"/> (which must be its sender's and recipient's).</summary>
    public void Add(ConversationPair pair, StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(pair);
        ArgumentNullException.ThrowIfNull(message);
        Add(pair, Encode(pair, message));
    }

    /// <summary>Adds a record already encoded (<see cref="Encode"/>) for the conversation <paramref name="pair"/>.</summary>
    internal void Add(ConversationPair pair, ReadOnlySpan<byte> record)
    {
        var start = records.WrittenCount;
        record.CopyTo(records.GetSpan(record.Length));
        records.Advance(record.Length);
        entries.Add(new(pair, start, record.Length));
    }

    /// <summary>
    /// <paramref name="message"/>'s record, encoded into this thread's scratch buffer (valid until the thread's next
    /// call): history's writer encodes before it takes its lock, so the lock is held for a copy only.
    /// </summary>
    internal static ReadOnlySpan<byte> Encode(ConversationPair pair, StoredMessage message)
    {
        var scratch = encoding ??= new ArrayBufferWriter<byte>(256);
        scratch.ResetWrittenCount();
        DirectHistoryRecord.Write(scratch, message.Sender == pair.Low, message.MessageId, message.SentAt.ToUnixTimeMilliseconds(), message.Text);
        return scratch.WrittenSpan;
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? encoding;

    /// <summary>Adds a message (its conversation made from its names): for callers that hold no interned pair.</summary>
    public void Add(StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        Add(ConversationPair.Of(message.Sender, message.Recipient), message);
    }

    /// <summary>Empties the batch for reuse.</summary>
    public void Clear()
    {
        entries.Clear();
        if (records.Capacity > KeptBytes)
        {
            records = new(64 * 1024);
        }
        records.ResetWrittenCount();
    }

    /// <summary>The record of entry <paramref name="index"/>, read from <see cref="Records"/>.</summary>
    internal DirectHistoryRecord Record(int index) => DirectHistoryRecord.ReadAt(Records, entries[index].Offset);

    /// <summary>The messages decoded again, in order (for stores that keep rows, and for tests).</summary>
    public IEnumerator<StoredMessage> GetEnumerator()
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var pair = entries[i].Pair;
            yield return Record(i).ToMessage(Records, pair.Low, pair.High);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>One record: its conversation, and its bytes at <paramref name="Offset"/> of the batch's records.</summary>
    internal readonly record struct Entry(ConversationPair Pair, int Offset, int Length);
}
