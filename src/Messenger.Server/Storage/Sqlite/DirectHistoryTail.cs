namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// The records in <c>direct_log</c> that are not yet in a chunk, kept in memory per conversation as the bytes their
/// chunk will hold, so that a read finds them without scanning the log and a move writes them with no re-encoding.
/// </summary>
/// <remarks>
/// Concurrency: the history's one writer (under <c>SqliteDirectHistory</c>'s lock) adds and moves; readers on any
/// thread copy one conversation's bytes. Both take <see cref="gate"/> briefly, never around SQL.
/// </remarks>
internal sealed class DirectHistoryTail
{
    private readonly Lock gate = new();
    private readonly Dictionary<ConversationPair, Pending> conversations = [];
    private long bytes;

    /// <summary>Bytes waiting in all conversations: the writer moves them into chunks past a threshold.</summary>
    public long Bytes => Interlocked.Read(ref bytes);

    /// <summary>
    /// The writer's lookup of a conversation it wrote to lately (its number, and where its records wait): the writer is
    /// the only one that changes the map, so it reads it without the lock.
    /// </summary>
    public Pending? Find(ConversationPair pair) => conversations.GetValueOrDefault(pair);

    /// <summary>Appends records (<paramref name="length"/> bytes of <paramref name="source"/> from <paramref name="offset"/>) to a conversation.</summary>
    public void Add(Pending pending, byte[] source, int offset, int length) => Add([pending], source, [new(pending, offset, length)]);

    /// <summary>
    /// Appends a committed batch's records (each an <see cref="Entry"/> of <paramref name="source"/>) to their
    /// conversations under one lock; <paramref name="created"/> join the map first.
    /// </summary>
    public void Add(IEnumerable<Pending> created, ReadOnlySpan<byte> source, List<Entry> records)
    {
        lock (gate)
        {
            foreach (var pending in created)
            {
                conversations.TryAdd(pending.Pair, pending);
            }
            var added = 0L;
            foreach (var (pending, offset, length) in records)
            {
                pending.Append(source.Slice(offset, length));
                added += length;
            }
            bytes += added;
        }
    }

    /// <summary>A copy of the conversation's records still waiting (empty when none).</summary>
    public byte[] Copy(ConversationPair pair)
    {
        lock (gate)
        {
            return conversations.TryGetValue(pair, out var pending) ? pending.Records.ToArray() : [];
        }
    }

    /// <summary>
    /// The conversations with records waiting, in conversation-number order (the chunks' index order), each with how
    /// many bytes wait now: a move takes those, and what comes after stays for the next.
    /// </summary>
    public List<(Pending Pending, int Length)> Waiting()
    {
        lock (gate)
        {
            var waiting = conversations.Values.Where(p => p.Length > 0).Select(p => (p, p.Length)).ToList();
            waiting.Sort((a, b) => a.p.Conversation.CompareTo(b.p.Conversation));
            return waiting;
        }
    }

    /// <summary>After the chunks holding the first <c>Length</c> bytes of these conversations committed: those wait no more.</summary>
    public void Moved(IEnumerable<(Pending Pending, int Length)> moved)
    {
        lock (gate)
        {
            foreach (var (pending, length) in moved)
            {
                pending.RemoveFirst(length);
                bytes -= length;
            }
        }
    }

    /// <summary>
    /// After a whole move: forgets the conversations that had nothing to move (their buffers, and the numbers the
    /// writer remembered), so the map holds the conversations of the last two moves, not every one ever seen.
    /// </summary>
    public void ReleaseIdle()
    {
        lock (gate)
        {
            foreach (var (pair, pending) in conversations.Where(c => c.Value.Length == 0 && !c.Value.TakeUsed()).ToList())
            {
                conversations.Remove(pair);
            }
        }
    }

    /// <summary>Forgets everything (after a purge removed conversations and their numbers); nothing may be waiting.</summary>
    public void Clear()
    {
        lock (gate)
        {
            conversations.Clear();
            bytes = 0;
        }
    }

    /// <summary>One record of a batch: <paramref name="Length"/> bytes at <paramref name="Offset"/> of the batch's buffer, for <paramref name="Pending"/>.</summary>
    internal readonly record struct Entry(Pending Pending, int Offset, int Length);

    /// <summary>One conversation's waiting records: a buffer that grows by doubling.</summary>
    internal sealed class Pending(ConversationPair pair, long conversation)
    {
        private byte[] buffer = new byte[256];
        private bool used;

        public ConversationPair Pair { get; } = pair;

        public long Conversation { get; } = conversation;

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Records => buffer.AsSpan(0, Length);

        public void RemoveFirst(int length)
        {
            buffer.AsSpan(length, Length - length).CopyTo(buffer);
            Length -= length;
        }

        public void Append(ReadOnlySpan<byte> records)
        {
            if (Length + records.Length > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, Length + records.Length));
            }
            records.CopyTo(buffer.AsSpan(Length));
            Length += records.Length;
            used = true;
        }

        /// <summary>Whether records came since the last call.</summary>
        public bool TakeUsed()
        {
            var was = used;
            used = false;
            return was;
        }
    }
}
