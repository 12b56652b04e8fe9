using System.Text;
using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary><see cref="IDirectHistory"/> on the <c>direct_history</c> table; one key per conversation (user_low &lt; user_high).</summary>
internal sealed class PostgresDirectHistory(NpgsqlDataSource dataSource) : IDirectHistory
{
    public async ValueTask AppendDirectHistoryAsync(IReadOnlyCollection<StoredMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        await using var batch = dataSource.CreateBatch(); // One round trip and one commit for all of them, in order.
        foreach (var message in messages)
        {
            var (low, high) = Conversation(message.Sender, message.Recipient);
            var command = new NpgsqlBatchCommand("""
                INSERT INTO direct_history (user_low, user_high, sender, message_id, text, sent_at_ms) VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT DO NOTHING
                """);
            foreach (var value in new object[] { low, high, message.Sender, message.MessageId, Encoding.UTF8.GetBytes(message.Text), message.SentAt.ToUnixTimeMilliseconds() })
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }
            batch.BatchCommands.Add(command);
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async ValueTask<IReadOnlyList<StoredMessage>> LoadDirectHistoryAsync(string user, string other, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var (low, high) = Conversation(user, other);
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
        await using var command = dataSource.Command("""
            WITH old AS (DELETE FROM direct_history WHERE sent_at_ms < $1 RETURNING id),
                 excess AS (DELETE FROM direct_history WHERE id IN (
                     SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY user_low, user_high ORDER BY id DESC) AS newer
                                     FROM direct_history WHERE sent_at_ms >= $1) ranked
                     WHERE newer > $2) RETURNING id)
            SELECT (SELECT count(*) FROM old) + (SELECT count(*) FROM excess)
            """, olderThan.ToUnixTimeMilliseconds(), (long)maxPerConversation);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static (string Low, string High) Conversation(string a, string b)
    {
        ArgumentException.ThrowIfNullOrEmpty(a);
        ArgumentException.ThrowIfNullOrEmpty(b);
        return string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }
}
