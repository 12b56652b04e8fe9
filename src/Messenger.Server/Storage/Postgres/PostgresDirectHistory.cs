using System.Text;
using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary><see cref="IDirectHistory"/> on the <c>direct_history</c> table; one key per conversation (user_low &lt; user_high).</summary>
internal sealed class PostgresDirectHistory(NpgsqlDataSource dataSource) : IDirectHistory
{
    // One statement for the whole batch (arrays unnested in order, so ids follow the batch's order): PostgreSQL parses
    // and plans it once per connection (auto-prepared) instead of once per row as a batch of single-row INSERTs.
    private const string AppendAll = """
        INSERT INTO direct_history (user_low, user_high, sender, message_id, text, sent_at_ms)
        SELECT low, high, sender, message_id, text, sent_at_ms
        FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bytea[], $6::bigint[]) WITH ORDINALITY
             AS rows (low, high, sender, message_id, text, sent_at_ms, position)
        ORDER BY position
        ON CONFLICT DO NOTHING
        """;

    public async ValueTask AppendDirectHistoryAsync(DirectHistoryBatch messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }
        var (lows, highs, senders) = (new string[messages.Count], new string[messages.Count], new string[messages.Count]);
        var (ids, texts, sentAts) = (new long[messages.Count], new byte[messages.Count][], new long[messages.Count]);
        for (var i = 0; i < messages.Count; i++)
        {
            var pair = messages.Entries[i].Pair;
            var record = messages.Record(i);
            (lows[i], highs[i], senders[i]) = (pair.Low, pair.High, record.FromLow ? pair.Low : pair.High);
            (ids[i], texts[i], sentAts[i]) = (record.MessageId, record.Text(messages.Records).ToArray(), record.SentAtMs);
        }
        await dataSource.ExecuteAsync(AppendAll, cancellationToken, lows, highs, senders, ids, texts, sentAts);
    }

    public async ValueTask<IReadOnlyList<StoredMessage>> LoadDirectHistoryAsync(string user, string other, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var (low, high) = ConversationPair.Order(user, other);
        await using var command = dataSource.Command("""
            SELECT id, sender, user_low, user_high, message_id, text, sent_at_ms FROM (
                SELECT * FROM direct_history WHERE user_low = $1 AND user_high = $2 ORDER BY id DESC LIMIT $3) recent
            ORDER BY id
            """, low, high, (long)max);
        return await command.ReadAllAsync(r =>
        {
            var sender = r.GetString(1);
            var recipient = sender == r.GetString(2) ? r.GetString(3) : r.GetString(2);
            return new StoredMessage(r.GetInt64(0), sender, recipient, r.GetInt64(4), Encoding.UTF8.GetString(r.GetFieldValue<byte[]>(5)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)));
        }, cancellationToken);
    }

    public async ValueTask<int> PurgeDirectHistoryAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        await using var command = dataSource.Command("DELETE FROM direct_history WHERE user_low = $1 OR user_high = $1", user);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<int> TrimDirectHistoryAsync(DateTimeOffset olderThan, int maxPerConversation, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerConversation);
        // One scan (the table keeps no time index, see PostgresSchema): a row goes when it is too old, or when newer rows
        // that are not too old already fill its conversation (too-old rows rank last, so they take no place).
        await using var command = dataSource.Command("""
            WITH doomed AS (
                SELECT user_low, user_high, id FROM (
                    SELECT user_low, user_high, id, sent_at_ms,
                           ROW_NUMBER() OVER (PARTITION BY user_low, user_high ORDER BY sent_at_ms < $1, id DESC) AS newer
                    FROM direct_history) ranked
                WHERE sent_at_ms < $1 OR newer > $2),
            removed AS (
                DELETE FROM direct_history h USING doomed d
                WHERE h.user_low = d.user_low AND h.user_high = d.user_high AND h.id = d.id RETURNING 1)
            SELECT count(*) FROM removed
            """, olderThan.ToUnixTimeMilliseconds(), (long)maxPerConversation);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
