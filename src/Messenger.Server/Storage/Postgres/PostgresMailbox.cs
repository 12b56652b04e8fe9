using System.Text;
using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary>
/// <see cref="IMailboxStore"/> on the <c>offline_messages</c> table. Idempotent on (sender, message_id, recipient)
/// like the SQLite store; the capped store takes a per-recipient advisory lock for its transaction, so the count and
/// the insert are one step for every node at once.
/// </summary>
internal sealed class PostgresMailbox(NpgsqlDataSource dataSource) : IMailboxStore
{
    private const string Columns = "id, sender, recipient, message_id, text, sent_at_ms";

    // A resend meets the existing row: ON CONFLICT returns nothing, and the second branch finds it.
    private const string Insert = """
        WITH inserted AS (
            INSERT INTO offline_messages (sender, recipient, message_id, text, sent_at_ms) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (sender, message_id, recipient) DO NOTHING RETURNING id)
        SELECT id FROM inserted
        UNION ALL
        SELECT id FROM offline_messages WHERE sender = $1 AND message_id = $3 AND recipient = $2
        LIMIT 1
        """;

    public async ValueTask<long> StoreOfflineAsync(StoredMessage message, CancellationToken cancellationToken = default)
    {
        Validate(message);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await InsertAsync(connection, message, cancellationToken);
    }

    public async ValueTask<long?> StoreOfflineIfRoomAsync(StoredMessage message, int maxPerRecipient, CancellationToken cancellationToken = default)
    {
        Validate(message);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockRecipient = connection.Command("SELECT pg_advisory_xact_lock(hashtext($1))", message.Recipient))
        {
            await lockRecipient.ExecuteNonQueryAsync(cancellationToken);
        }
        // A resend of a stored message gets its row even when the mailbox is full (it takes no new room).
        await using (var existing = connection.Command(
            "SELECT id FROM offline_messages WHERE sender = $1 AND message_id = $2 AND recipient = $3", message.Sender, message.MessageId, message.Recipient))
        {
            if (await existing.ExecuteScalarAsync(cancellationToken) is long id)
            {
                return id;
            }
        }
        await using (var count = connection.Command("SELECT count(*) FROM offline_messages WHERE recipient = $1", message.Recipient))
        {
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= maxPerRecipient)
            {
                return null;
            }
        }
        var row = await InsertAsync(connection, message, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return row;
    }

    private static async Task<long> InsertAsync(NpgsqlConnection connection, StoredMessage message, CancellationToken cancellationToken)
    {
        // A concurrent insert of the same key that commits while this statement runs is outside its snapshot: run again.
        while (true)
        {
            await using var command = connection.Command(Insert, message.Sender, message.Recipient, message.MessageId,
                Encoding.UTF8.GetBytes(message.Text), message.SentAt.ToUnixTimeMilliseconds());
            if (await command.ExecuteScalarAsync(cancellationToken) is long id)
            {
                return id;
            }
        }
    }

    public async ValueTask<IReadOnlyList<StoredMessage>> LoadOfflineAsync(string recipient, long afterId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        if (max == 0)
        {
            return [];
        }
        await using var command = dataSource.Command(
            $"SELECT {Columns} FROM offline_messages WHERE recipient = $1 AND id > $2 ORDER BY id LIMIT $3", recipient, afterId, (long)max);
        return await command.ReadAllAsync(reader => new StoredMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
            Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(4)), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))), cancellationToken);
    }

    public async ValueTask DeleteOfflineAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count > 0)
        {
            await dataSource.ExecuteAsync("DELETE FROM offline_messages WHERE id = ANY($1)", cancellationToken, ids.ToArray());
        }
    }

    public async ValueTask<int> CountOfflineAsync(string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        await using var command = dataSource.Command("SELECT count(*) FROM offline_messages WHERE recipient = $1", recipient);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static void Validate(StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(message.Sender);
        ArgumentNullException.ThrowIfNull(message.Recipient);
        ArgumentNullException.ThrowIfNull(message.Text);
    }
}
