using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary><see cref="IDirectHistory"/> on the <c>direct_history</c> table, one key per conversation (the two names, sorted).</summary>
internal sealed class SqliteDirectHistory : IDirectHistory
{
    private readonly SqliteDatabase database;
    private readonly SqliteCommand append;
    private readonly SqliteCommand load;
    private readonly SqliteCommand purge;
    private readonly SqliteCommand trimByAge;
    private readonly SqliteCommand trimByCount;

    public SqliteDirectHistory(SqliteDatabase database)
    {
        this.database = database;
        append = database.Prepare("""
            INSERT OR IGNORE INTO direct_history (user_low, user_high, sender, message_id, text, sent_at_ms)
            VALUES ($low, $high, $sender, $messageId, $text, $sentAt);
            """, "$low", "$high", "$sender", "$messageId", "$text", "$sentAt");
        load = database.PrepareRead("""
            SELECT id, sender, user_low, user_high, message_id, text, sent_at_ms FROM (
                SELECT * FROM direct_history WHERE user_low = $low AND user_high = $high ORDER BY id DESC LIMIT $max)
            ORDER BY id;
            """, "$low", "$high", "$max");
        purge = database.Prepare("DELETE FROM direct_history WHERE user_low = $user OR user_high = $user;", "$user");
        trimByAge = database.Prepare("DELETE FROM direct_history WHERE sent_at_ms < $before;", "$before");
        // Keeps the newest $max of each conversation: a row goes when $max newer rows share its conversation.
        trimByCount = database.Prepare("""
            DELETE FROM direct_history WHERE id IN (
                SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY user_low, user_high ORDER BY id DESC) AS newer
                                FROM direct_history)
                WHERE newer > $max);
            """, "$max");
    }

    public ValueTask AppendDirectHistoryAsync(IReadOnlyCollection<StoredMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new(database.Enqueue(() =>
        {
            foreach (var message in messages)
            {
                var (low, high) = Conversation(message.Sender, message.Recipient);
                append.Bind(("$low", low), ("$high", high), ("$sender", message.Sender), ("$messageId", message.MessageId),
                    ("$text", message.Text), ("$sentAt", message.SentAt.ToUnixTimeMilliseconds()));
                append.ExecuteNonQuery();
            }
            return messages.Count;
        }, cancellationToken));
    }

    public ValueTask<IReadOnlyList<StoredMessage>> LoadDirectHistoryAsync(string user, string other, int max, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var (low, high) = Conversation(user, other);
        return database.Read<IReadOnlyList<StoredMessage>>(() =>
        {
            load.Bind(("$low", low), ("$high", high), ("$max", max));
            return load.ReadAll(r =>
            {
                var sender = r.GetString(1);
                var recipient = sender == r.GetString(2) ? r.GetString(3) : r.GetString(2);
                return new StoredMessage(r.GetInt64(0), sender, recipient, r.GetInt64(4), r.GetString(5), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)));
            });
        }, cancellationToken);
    }

    public ValueTask<int> PurgeDirectHistoryAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return new(database.Enqueue(() =>
        {
            purge.Bind(("$user", user));
            return purge.ExecuteNonQuery();
        }, cancellationToken));
    }

    public ValueTask<int> TrimDirectHistoryAsync(DateTimeOffset olderThan, int maxPerConversation, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerConversation);
        return new(database.Enqueue(() =>
        {
            trimByAge.Bind(("$before", olderThan.ToUnixTimeMilliseconds()));
            trimByCount.Bind(("$max", maxPerConversation));
            return trimByAge.ExecuteNonQuery() + trimByCount.ExecuteNonQuery();
        }, cancellationToken));
    }

    private static (string Low, string High) Conversation(string a, string b)
    {
        ArgumentException.ThrowIfNullOrEmpty(a);
        ArgumentException.ThrowIfNullOrEmpty(b);
        return string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }
}
