using System.Buffers;
using System.Buffers.Binary;

namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// What the direct history does when the database opens: rows of schema 4's <c>direct_messages</c> become chunks
/// (once; the table stays empty afterwards), and the log's records that no chunk holds yet go back into the tail, so
/// the first move writes them. A crash between a move's commits left chunks whose <c>log_upto</c> says which log rows
/// they already hold: those records are skipped, the others moved, so nothing is lost and nothing repeated.
/// </summary>
internal sealed class DirectHistoryRecovery(SqliteDatabase database, DirectHistoryChunks chunks)
{
    /// <summary>Converts and reloads, each in a transaction of its own; returns the last log row read (0: none).</summary>
    public long Recover(DirectHistoryTail tail)
    {
        database.Transact(ConvertRows);
        return database.Transact(() => ReadLog(tail));
    }

    /// <summary>direct_messages' rows, conversation by conversation in id order, become chunks; returns how many.</summary>
    private int ConvertRows()
    {
        var rows = database.Prepare("SELECT conversation, from_low, message_id, text, sent_at_ms FROM direct_messages ORDER BY conversation, id;");
        var records = new ArrayBufferWriter<byte>();
        var (conversation, converted) = (-1L, 0);
        using (var reader = rows.ExecuteReader())
        {
            while (reader.Read())
            {
                if (reader.GetInt64(0) != conversation && records.WrittenCount > 0)
                {
                    chunks.Append(conversation, 0, records.WrittenSpan);
                    records.ResetWrittenCount();
                }
                conversation = reader.GetInt64(0);
                DirectHistoryRecord.Write(records, reader.GetBoolean(1), reader.GetInt64(2), reader.GetInt64(4), reader.GetString(3));
                converted++;
            }
        }
        if (records.WrittenCount > 0)
        {
            chunks.Append(conversation, 0, records.WrittenSpan);
            database.Prepare("DELETE FROM direct_messages;").ExecuteNonQuery();
        }
        return converted;
    }

    /// <summary>Each log row is records, each after its conversation number (8 bytes, little-endian).</summary>
    private long ReadLog(DirectHistoryTail tail)
    {
        var log = database.Prepare("SELECT id, rows FROM direct_log ORDER BY id;");
        var names = database.Prepare("SELECT user_low, user_high FROM conversations WHERE id = $id;", "$id");
        var moved = database.Prepare("SELECT log_upto FROM direct_chunks WHERE conversation = $id ORDER BY id DESC LIMIT 1;", "$id");
        var known = new Dictionary<long, (DirectHistoryTail.Pending Pending, long MovedUpTo)>();
        var last = 0L;
        foreach (var (id, rows) in log.ReadAll(r => (r.GetInt64(0), (byte[])r.GetValue(1))))
        {
            last = id;
            for (var offset = 0; offset < rows.Length;)
            {
                if (rows.Length - offset < sizeof(long))
                {
                    throw new InvalidDataException($"direct_log row {id} ends inside a conversation number.");
                }
                var conversation = BinaryPrimitives.ReadInt64LittleEndian(rows.AsSpan(offset));
                var record = DirectHistoryRecord.ReadAt(rows, offset + sizeof(long));
                if (!known.TryGetValue(conversation, out var found))
                {
                    names.Bind(("$id", conversation));
                    moved.Bind(("$id", conversation));
                    var pair = names.ReadAll(r => ConversationPair.Of(r.GetString(0), r.GetString(1))).SingleOrDefault();
                    if (pair is null)
                    {
                        throw new InvalidDataException($"direct_log row {id} names conversation {conversation}, which does not exist.");
                    }
                    known[conversation] = found = (new DirectHistoryTail.Pending(pair, conversation), moved.ExecuteScalar() is long upTo ? upTo : 0);
                }
                if (id > found.MovedUpTo)
                {
                    tail.Add(found.Pending, rows, record.Offset, record.Length);
                }
                offset = record.Offset + record.Length;
            }
        }
        return last;
    }
}
