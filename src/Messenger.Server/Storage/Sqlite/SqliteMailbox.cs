using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary><see cref="IMailboxStore"/> on the <c>offline_messages</c> table.</summary>
internal sealed class SqliteMailbox : IMailboxStore
{
    private const string CountSql = "SELECT COUNT(*) FROM offline_messages WHERE recipient = $recipient;";

    private readonly SqliteDatabase database;
    private readonly SqliteCommand insert;
    private readonly SqliteCommand find;
    private readonly SqliteCommand load;
    private readonly SqliteCommand delete;
    private readonly SqliteCommand count;
    private readonly SqliteCommand countBeforeInsert;

    public SqliteMailbox(SqliteDatabase database)
    {
        this.database = database;
        // A resend of a stored message conflicts, inserts nothing and returns no row; find then answers with the row
        // it already has.
        insert = database.Prepare("""
            INSERT INTO offline_messages (sender, recipient, message_id, text, sent_at_ms)
            VALUES ($sender, $recipient, $messageId, $text, $sentAt)
            ON CONFLICT (sender, message_id, recipient) DO NOTHING
            RETURNING id;
            """, "$sender", "$recipient", "$messageId", "$text", "$sentAt");
        find = database.Prepare(
            "SELECT id FROM offline_messages WHERE sender = $sender AND message_id = $messageId AND recipient = $recipient;",
            "$sender", "$messageId", "$recipient");
        load = database.PrepareRead("""
            SELECT id, sender, recipient, message_id, text, sent_at_ms FROM offline_messages
            WHERE recipient = $recipient AND id > $after ORDER BY id LIMIT $max;
            """, "$recipient", "$after", "$max");
        delete = database.Prepare("DELETE FROM offline_messages WHERE id = $id;", "$id");
        // The same count on both connections: the writer's sees its own batch's inserts (the mailbox cap).
        countBeforeInsert = database.Prepare(CountSql, "$recipient");
        count = database.PrepareRead(CountSql, "$recipient");
    }

    public ValueTask<long> StoreOfflineAsync(StoredMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(database.Enqueue(() => Store(message), cancellationToken));
    }

    public ValueTask<long?> StoreOfflineIfRoomAsync(StoredMessage message, int maxPerRecipient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerRecipient);
        return new(database.Enqueue(() => StoreIfRoom(message, maxPerRecipient), cancellationToken));
    }

    public ValueTask<IReadOnlyList<StoredMessage>> LoadOfflineAsync(string recipient, long afterId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        // SQLite reads a negative LIMIT as "no limit"; refuse it rather than return everything.
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return database.Read(() => Load(recipient, afterId, max), cancellationToken);
    }

    public ValueTask DeleteOfflineAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return new(database.Enqueue(() => Delete(ids), cancellationToken));
    }

    public ValueTask<int> CountOfflineAsync(string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return database.Read(() => Count(count, recipient), cancellationToken);
    }

    private long Store(StoredMessage message)
    {
        insert.Bind(("$sender", message.Sender), ("$recipient", message.Recipient), ("$messageId", message.MessageId),
            ("$text", message.Text), ("$sentAt", message.SentAt.ToUnixTimeMilliseconds()));
        return Convert.ToInt64(insert.ExecuteScalar() ?? Find(message), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs on the group-commit writer, inside its transaction: no other write runs between the count and the insert,
    /// and the count sees this batch's earlier inserts.
    /// </summary>
    private long? StoreIfRoom(StoredMessage message, int maxPerRecipient)
    {
        if (Find(message) is { } existing)
        {
            return Convert.ToInt64(existing, CultureInfo.InvariantCulture);
        }
        return Count(countBeforeInsert, message.Recipient) >= maxPerRecipient ? null : Store(message);
    }

    /// <summary>The row id of this (sender, message id, recipient), or null when it is not stored.</summary>
    private object? Find(StoredMessage message)
    {
        find.Bind(("$sender", message.Sender), ("$messageId", message.MessageId), ("$recipient", message.Recipient));
        return find.ExecuteScalar();
    }

    private IReadOnlyList<StoredMessage> Load(string recipient, long afterId, int max)
    {
        load.Bind(("$recipient", recipient), ("$after", afterId), ("$max", max));
        return load.ReadAll(reader => new StoredMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
            reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
    }

    /// <summary>Deletes the rows with these ids; returns how many existed.</summary>
    private int Delete(IReadOnlyCollection<long> ids)
    {
        // Inside one group-commit transaction: either every acknowledged row goes or none does.
        var deleted = 0;
        foreach (var id in ids)
        {
            delete.Bind(("$id", id));
            deleted += delete.ExecuteNonQuery();
        }
        return deleted;
    }

    private static int Count(SqliteCommand countStatement, string recipient)
    {
        countStatement.Bind(("$recipient", recipient));
        return Convert.ToInt32(countStatement.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
