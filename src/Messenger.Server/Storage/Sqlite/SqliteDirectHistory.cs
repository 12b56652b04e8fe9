using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// <see cref="IDirectHistory"/> as a log and chunks, so that keeping history costs O(1) pages per batch. An append
/// writes the batch as a few blobs into <c>direct_log</c> (arrival order, no index: sequential pages) and keeps each
/// record in memory under its conversation (<see cref="DirectHistoryTail"/>). Once <see cref="MoveAtBytes"/> wait, a
/// move writes each conversation's waiting records as one chunk (<see cref="DirectHistoryChunks"/>, indexed by
/// (conversation, id)) and deletes the log rows: one insert per conversation, not one per message. A read takes the
/// conversation's chunks, newest first, plus what waits in memory. A resend after a crash may be written twice and
/// is shown once, because reads drop repeats.
/// </summary>
/// <remarks>
/// Durability: a batch is in the log when its append returns (the caller's batch commits before it is answered), so
/// what was accepted before a read or a stop is in history; at open, the log's records are moved into chunks
/// (<see cref="DirectHistoryRecovery"/>, then <see cref="DirectHistoryMoves"/>). Concurrency: appends, moves, trims and purges run one at a time under
/// <see cref="writer"/>, each SQL step in a transaction of its own that commits before memory changes
/// (<see cref="SqliteDatabase.Transact"/>); reads run on the read connection and copy from the tail under its lock.
/// </remarks>
internal sealed class SqliteDirectHistory : IDirectHistory
{
    /// <summary>
    /// Records waiting in the log (and in memory) before a move: at W1's rate about two seconds. A move costs one insert
    /// per conversation that has records waiting, so the fewer moves the cheaper, and this is the memory it takes.
    /// </summary>
    public const long MoveAtBytes = 32 * 1024 * 1024;

    /// <summary>Rows read beyond what was asked, so that repeats dropped on reading still leave the count asked for.</summary>
    private const int RepeatAllowance = 64;

    /// <summary>A log row's bytes at most: a batch becomes a few blobs, each below the large-object heap's 85,000 bytes.</summary>
    private const int MaxLogRowBytes = 32 * 1024;

    private readonly SqliteDatabase database;
    private readonly Lock writer = new();
    private readonly DirectHistoryTail tail = new();
    private readonly DirectHistoryChunks chunks;
    private readonly DirectHistoryMoves moves;
    /// <summary>
    /// A batch's buffer is kept for the next up to this size (a full writer queue of W1's texts: ~3 MB); a batch of long
    /// texts does not keep its megabytes. A fresh large array per batch cost page faults on its first touch.
    /// </summary>
    private const int KeptBatchBytes = 4 * 1024 * 1024;

    private ArrayBufferWriter<byte> batchBuffer = new(MaxLogRowBytes * 8);
    private readonly List<DirectHistoryTail.Entry> batchEntries = [];
    private readonly SqliteCommand addConversation;
    private readonly SqliteCommand findConversation;
    private readonly SqliteRawStatement appendLog;
    private readonly SqliteCommand load;
    private readonly SqliteCommand purgeCount;
    private readonly SqliteCommand purgeChunks;
    private readonly SqliteCommand purgeConversations;

    /// <summary>The last log row whose records are in <see cref="tail"/> (or already in chunks).</summary>
    private long lastLogId;

    public SqliteDirectHistory(SqliteDatabase database)
    {
        this.database = database;
        chunks = new DirectHistoryChunks(database);
        moves = new DirectHistoryMoves(database, tail, chunks);
        addConversation = database.Prepare("INSERT OR IGNORE INTO conversations (user_low, user_high) VALUES ($low, $high);", "$low", "$high");
        findConversation = database.Prepare("SELECT id FROM conversations WHERE user_low = $low AND user_high = $high;", "$low", "$high");
        appendLog = database.PrepareRaw("INSERT INTO direct_log (rows) VALUES (?1) RETURNING id;");
        load = database.PrepareRead("""
            SELECT count, rows FROM direct_chunks
            WHERE conversation = (SELECT id FROM conversations WHERE user_low = $low AND user_high = $high)
            ORDER BY id DESC;
            """, "$low", "$high");
        const string OfUser = "SELECT id FROM conversations WHERE user_low = $user OR user_high = $user";
        purgeCount = database.Prepare($"SELECT coalesce(sum(count), 0) FROM direct_chunks WHERE conversation IN ({OfUser});", "$user");
        purgeChunks = database.Prepare($"DELETE FROM direct_chunks WHERE conversation IN ({OfUser});", "$user");
        purgeConversations = database.Prepare("DELETE FROM conversations WHERE user_low = $user OR user_high = $user;", "$user");
        lock (writer)
        {
            lastLogId = new DirectHistoryRecovery(database, chunks).Recover(tail);
            moves.MoveAll(lastLogId);
        }
    }

    public ValueTask AppendDirectHistoryAsync(DirectHistoryBatch messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return AppendAsync(messages, cancellationToken);
    }

    private async ValueTask AppendAsync(DirectHistoryBatch messages, CancellationToken cancellationToken) =>
        await OnWriter(() =>
        {
            if (messages.Count > 0)
            {
                Append(messages);
            }
            moves.MoveSome(lastLogId, MoveAtBytes);
            return 0;
        }, cancellationToken);

    public ValueTask<IReadOnlyList<StoredMessage>> LoadDirectHistoryAsync(string user, string other, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var pair = ConversationPair.Of(user, other);
        var (low, high) = (pair.Low, pair.High);
        // The tail first: a move that commits in between puts its records in a chunk too, and the repeat is dropped.
        var waiting = tail.Copy(pair);
        return database.Read<IReadOnlyList<StoredMessage>>(() =>
        {
            var waitingRecords = DirectHistoryRecord.All(waiting);
            var newestFirst = new List<byte[]>();
            var have = waitingRecords.Count;
            load.Bind(("$low", low), ("$high", high));
            using (var reader = load.ExecuteReader())
            {
                while (have < max + RepeatAllowance && reader.Read())
                {
                    have += reader.GetInt32(0);
                    newestFirst.Add((byte[])reader.GetValue(1));
                }
            }
            var messages = new List<StoredMessage>(have);
            for (var i = newestFirst.Count - 1; i >= 0; i--)
            {
                messages.AddRange(DirectHistoryRecord.All(newestFirst[i]).Select(r => r.ToMessage(newestFirst[i], low, high)));
            }
            messages.AddRange(waitingRecords.Select(r => r.ToMessage(waiting, low, high)));
            var seen = new HashSet<(string, long)>();
            return messages.Where(m => seen.Add((m.Sender, m.MessageId))).TakeLast(max).ToList();
        }, cancellationToken);
    }

    public ValueTask<int> PurgeDirectHistoryAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return OnWriter(() =>
        {
            moves.MoveAll(lastLogId); // the log must not keep what goes now: a restart would bring it back
            var removed = database.Transact(() =>
            {
                purgeCount.Bind(("$user", user));
                purgeChunks.Bind(("$user", user));
                purgeConversations.Bind(("$user", user));
                var count = Convert.ToInt32(purgeCount.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
                purgeChunks.ExecuteNonQuery();
                purgeConversations.ExecuteNonQuery();
                return count;
            });
            tail.Clear(); // its conversation numbers too: the purged ones are gone
            return removed;
        }, cancellationToken);
    }

    public ValueTask<int> TrimDirectHistoryAsync(DateTimeOffset olderThan, int maxPerConversation, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerConversation);
        return OnWriter(() =>
        {
            moves.MoveAll(lastLogId);
            return database.Transact(() => chunks.TrimByAge(olderThan.ToUnixTimeMilliseconds()) + chunks.TrimByCount(maxPerConversation));
        }, cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> under <see cref="writer"/> on the caller's thread; its failure comes back in the task.</summary>
    private ValueTask<T> OnWriter<T>(Func<T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }
        try
        {
            lock (writer)
            {
                return ValueTask.FromResult(work());
            }
        }
        catch (Exception failure)
        {
            return ValueTask.FromException<T>(failure);
        }
    }

    /// <summary>
    /// Under <see cref="writer"/>: the batch into the log (one commit), then into the tail. The records come encoded
    /// (<see cref="DirectHistoryBatch"/>); each is copied once into <see cref="batchBuffer"/> after its conversation
    /// number, the log rows are slices of that, and the tail copies each record from it, so a row costs one lookup (by
    /// the batch's interned pair: a stored hash and a reference compare) and two copies of its bytes.
    /// </summary>
    private void Append(DirectHistoryBatch messages)
    {
        batchBuffer.ResetWrittenCount();
        batchEntries.Clear();
        Dictionary<ConversationPair, DirectHistoryTail.Pending>? created = null;
        var last = database.Transact(() =>
        {
            var (id, rowStart) = (0L, 0);
            var records = messages.Records;
            foreach (var (pair, offset, length) in messages.Entries)
            {
                var pending = tail.Find(pair) ?? Create(pair, ref created);
                var row = batchBuffer.GetSpan(sizeof(long) + length);
                BinaryPrimitives.WriteInt64LittleEndian(row, pending.Conversation);
                records.Slice(offset, length).CopyTo(row[sizeof(long)..]);
                batchBuffer.Advance(sizeof(long) + length);
                batchEntries.Add(new(pending, batchBuffer.WrittenCount - length, length));
                if (batchBuffer.WrittenCount - rowStart >= MaxLogRowBytes)
                {
                    (id, rowStart) = (WriteLogRow(rowStart), batchBuffer.WrittenCount);
                }
            }
            return batchBuffer.WrittenCount > rowStart ? WriteLogRow(rowStart) : id;
        });
        tail.Add(created?.Values ?? Enumerable.Empty<DirectHistoryTail.Pending>(), batchBuffer.WrittenSpan, batchEntries);
        lastLogId = last;
        if (batchBuffer.Capacity > KeptBatchBytes)
        {
            batchBuffer = new(MaxLogRowBytes * 8);
        }
    }

    /// <summary>Inside the append's transaction: a conversation the tail does not know, numbered (made if new) once per batch.</summary>
    private DirectHistoryTail.Pending Create(ConversationPair pair, ref Dictionary<ConversationPair, DirectHistoryTail.Pending>? created)
    {
        created ??= [];
        if (!created.TryGetValue(pair, out var pending))
        {
            created[pair] = pending = new(pair, Number(pair));
        }
        return pending;
    }

    /// <summary>The batch's bytes from <paramref name="rowStart"/> as one log row; returns its id.</summary>
    private long WriteLogRow(int rowStart)
    {
        appendLog.Bind(1, batchBuffer.WrittenSpan[rowStart..]);
        return appendLog.Run()!.Value;
    }

    /// <summary>Inside the append's transaction: the number of a conversation the tail does not know, made if new.</summary>
    private long Number(ConversationPair pair)
    {
        addConversation.Bind(("$low", pair.Low), ("$high", pair.High));
        addConversation.ExecuteNonQuery();
        findConversation.Bind(("$low", pair.Low), ("$high", pair.High));
        return (long)findConversation.ExecuteScalar()!;
    }

}
