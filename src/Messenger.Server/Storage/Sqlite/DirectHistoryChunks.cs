using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// <c>direct_chunks</c>: a conversation's history as blobs of records (<see cref="DirectHistoryRecord"/>), each with
/// its count and time span, found by (conversation, id). Every method runs on the write connection inside the
/// caller's transaction (<see cref="SqliteDatabase.Transact"/>).
/// </summary>
internal sealed class DirectHistoryChunks
{
    /// <summary>
    /// A chunk's records at most, in bytes (but one record longer than this is a chunk of its own): a read of the last
    /// few messages of a busy conversation reads a few of these, not all that one move brought.
    /// </summary>
    public const int MaxChunkBytes = 16 * 1024;

    private readonly SqliteRawStatement insert;
    private readonly SqliteCommand update;
    private readonly SqliteCommand delete;
    private readonly SqliteCommand whollyOlder;
    private readonly SqliteCommand partlyOlder;
    private readonly SqliteCommand beyondCount;
    private readonly SqliteCommand blob;

    public DirectHistoryChunks(SqliteDatabase database)
    {
        insert = database.PrepareRaw("""
            INSERT INTO direct_chunks (conversation, log_upto, count, oldest_ms, newest_ms, rows)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6);
            """);
        update = database.Prepare("UPDATE direct_chunks SET count = $count, oldest_ms = $oldest, newest_ms = $newest, rows = $rows WHERE id = $id;",
            "$count", "$oldest", "$newest", "$rows", "$id");
        delete = database.Prepare("DELETE FROM direct_chunks WHERE id = $id;", "$id");
        whollyOlder = database.Prepare("SELECT id, count FROM direct_chunks WHERE newest_ms < $before;", "$before");
        blob = database.Prepare("SELECT rows FROM direct_chunks WHERE id = $id;", "$id");
        partlyOlder = database.Prepare("SELECT id, rows FROM direct_chunks WHERE oldest_ms < $before;", "$before");
        // Per chunk, how many messages newer chunks of its conversation hold: a chunk goes wholly once they are $max.
        beyondCount = database.Prepare("""
            SELECT id, count, newer FROM (
                SELECT id, count, coalesce(sum(count) OVER (PARTITION BY conversation ORDER BY id DESC
                                                                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS newer
                FROM direct_chunks)
            WHERE newer + count > $max;
            """, "$max");
    }

    /// <summary>Writes a conversation's records as chunks of at most <see cref="MaxChunkBytes"/>, oldest first.</summary>
    /// <param name="logUpTo">The last log row these records came from (recovery after a crash mid-move skips what is here).</param>
    public void Append(long conversation, long logUpTo, ReadOnlySpan<byte> records)
    {
        var start = 0;
        while (start < records.Length)
        {
            var end = start;
            var (count, oldest, newest) = (0, long.MaxValue, long.MinValue);
            while (end < records.Length)
            {
                var record = DirectHistoryRecord.ReadAt(records, end);
                if (count > 0 && end - start + record.Length > MaxChunkBytes)
                {
                    break;
                }
                (count, oldest, newest, end) = (count + 1, Math.Min(oldest, record.SentAtMs), Math.Max(newest, record.SentAtMs), end + record.Length);
            }
            insert.Bind(1, conversation);
            insert.Bind(2, logUpTo);
            insert.Bind(3, count);
            insert.Bind(4, oldest);
            insert.Bind(5, newest);
            insert.Bind(6, records[start..end]);
            insert.Run();
            start = end;
        }
    }

    /// <summary>Deletes every record sent before <paramref name="beforeMs"/>; returns how many went.</summary>
    public int TrimByAge(long beforeMs)
    {
        whollyOlder.Bind(("$before", beforeMs));
        var removed = 0;
        foreach (var (id, count) in whollyOlder.ReadAll(r => (r.GetInt64(0), r.GetInt32(1))))
        {
            Delete(id);
            removed += count;
        }
        partlyOlder.Bind(("$before", beforeMs));
        foreach (var (id, rows) in partlyOlder.ReadAll(r => (r.GetInt64(0), (byte[])r.GetValue(1))))
        {
            var records = DirectHistoryRecord.All(rows);
            removed += Keep(id, rows, records.Where(r => r.SentAtMs >= beforeMs).ToList(), records.Count);
        }
        return removed;
    }

    /// <summary>Deletes, per conversation, all but the newest <paramref name="max"/> records; returns how many went.</summary>
    public int TrimByCount(int max)
    {
        beyondCount.Bind(("$max", max));
        var removed = 0;
        foreach (var (id, count, newer) in beyondCount.ReadAll(r => (r.GetInt64(0), r.GetInt32(1), r.GetInt64(2))))
        {
            if (newer >= max)
            {
                Delete(id);
                removed += count;
                continue;
            }
            // Only the chunk at the edge is read: the ones wholly beyond the count go without their blobs.
            blob.Bind(("$id", id));
            var rows = (byte[])blob.ExecuteScalar()!;
            var records = DirectHistoryRecord.All(rows);
            removed += Keep(id, rows, records.TakeLast(max - (int)newer).ToList(), records.Count);
        }
        return removed;
    }

    /// <summary>Rewrites chunk <paramref name="id"/> with only <paramref name="kept"/> of its records; returns how many went.</summary>
    private int Keep(long id, byte[] rows, List<DirectHistoryRecord> kept, int had)
    {
        if (kept.Count == 0)
        {
            Delete(id);
            return had;
        }
        var bytes = new byte[kept.Sum(r => r.Length)];
        var at = 0;
        foreach (var record in kept)
        {
            rows.AsSpan(record.Offset, record.Length).CopyTo(bytes.AsSpan(at));
            at += record.Length;
        }
        update.Bind(("$count", kept.Count), ("$oldest", kept.Min(r => r.SentAtMs)), ("$newest", kept.Max(r => r.SentAtMs)), ("$rows", bytes), ("$id", id));
        update.ExecuteNonQuery();
        return had - kept.Count;
    }

    private void Delete(long id)
    {
        delete.Bind(("$id", id));
        delete.ExecuteNonQuery();
    }
}
