using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// <see cref="IDirectHistory"/> on <c>direct_messages</c>, one row per message under a small conversation number
/// (<c>conversations</c>: the two names, sorted). One index, (conversation, id), so a busy writer touches few pages
/// per commit; a resend after a crash may be written twice and is shown once, because reads drop repeats.
/// </summary>
internal sealed class SqliteDirectHistory : IDirectHistory
{
    /// <summary>Rows read beyond what was asked, so that repeats dropped on reading still leave the count asked for.</summary>
    private const int RepeatAllowance = 64;

    private readonly SqliteDatabase database;
    private readonly SqliteCommand addConversation;
    private readonly SqliteCommand findConversation;
    private readonly SqliteCommand append;
    private readonly SqliteCommand load;
    private readonly SqliteCommand purgeMessages;
    private readonly SqliteCommand purgeConversations;
    private readonly SqliteCommand trimByAge;
    private readonly SqliteCommand trimByCount;

    public SqliteDirectHistory(SqliteDatabase database)
    {
        this.database = database;
        addConversation = database.Prepare("INSERT OR IGNORE INTO conversations (user_low, user_high) VALUES ($low, $high);", "$low", "$high");
        findConversation = database.Prepare("SELECT id FROM conversations WHERE user_low = $low AND user_high = $high;", "$low", "$high");
        append = database.Prepare("""
            INSERT INTO direct_messages (conversation, from_low, message_id, text, sent_at_ms)
            VALUES ($conversation, $fromLow, $messageId, $text, $sentAt);
            """, "$conversation", "$fromLow", "$messageId", "$text", "$sentAt");
        load = database.PrepareRead("""
            SELECT id, from_low, message_id, text, sent_at_ms FROM direct_messages
            WHERE conversation = (SELECT id FROM conversations WHERE user_low = $low AND user_high = $high)
            ORDER BY id DESC LIMIT $max;
            """, "$low", "$high", "$max");
        purgeMessages = database.Prepare("""
            DELETE FROM direct_messages
            WHERE conversation IN (SELECT id FROM conversations WHERE user_low = $user OR user_high = $user);
            """, "$user");
        purgeConversations = database.Prepare("DELETE FROM conversations WHERE user_low = $user OR user_high = $user;", "$user");
        // Rows are appended in the order the server accepted them, so id order is time order (but for a clock set
        // back): everything before the first row new enough goes, found by walking from the oldest, no time index.
        trimByAge = database.Prepare("""
            DELETE FROM direct_messages WHERE id < coalesce(
                (SELECT id FROM direct_messages WHERE sent_at_ms >= $before ORDER BY id LIMIT 1), 9223372036854775807);
            """, "$before");
        // Keeps the newest $max of each conversation: a row goes when $max newer rows share its conversation.
        trimByCount = database.Prepare("""
            DELETE FROM direct_messages WHERE id IN (
                SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY conversation ORDER BY id DESC) AS newer
                                FROM direct_messages)
                WHERE newer > $max);
            """, "$max");
    }

    public ValueTask AppendDirectHistoryAsync(IReadOnlyCollection<StoredMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new(database.Enqueue(() =>
        {
            // A pair's conversation number is looked up (or made) once per batch; the batch is one transaction.
            var conversations = new Dictionary<(string, string), long>();
            foreach (var message in messages)
            {
                var (low, high) = Conversation(message.Sender, message.Recipient);
                if (!conversations.TryGetValue((low, high), out var conversation))
                {
                    conversation = conversations[(low, high)] = ConversationNumber(low, high);
                }
                append.Bind(("$conversation", conversation), ("$fromLow", message.Sender == low), ("$messageId", message.MessageId),
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
            load.Bind(("$low", low), ("$high", high), ("$max", max + RepeatAllowance));
            var newestFirst = load.ReadAll(r =>
            {
                var (sender, recipient) = r.GetBoolean(1) ? (low, high) : (high, low);
                return new StoredMessage(r.GetInt64(0), sender, recipient, r.GetInt64(2), r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)));
            });
            newestFirst.Reverse();
            var seen = new HashSet<(string, long)>();
            return newestFirst.Where(m => seen.Add((m.Sender, m.MessageId))).TakeLast(max).ToList();
        }, cancellationToken);
    }

    public ValueTask<int> PurgeDirectHistoryAsync(string user, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return new(database.Enqueue(() =>
        {
            purgeMessages.Bind(("$user", user));
            purgeConversations.Bind(("$user", user));
            var removed = purgeMessages.ExecuteNonQuery();
            purgeConversations.ExecuteNonQuery();
            return removed;
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

    /// <summary>On the writer, inside the batch's transaction: the pair's conversation number, made if new.</summary>
    private long ConversationNumber(string low, string high)
    {
        addConversation.Bind(("$low", low), ("$high", high));
        addConversation.ExecuteNonQuery();
        findConversation.Bind(("$low", low), ("$high", high));
        return (long)findConversation.ExecuteScalar()!;
    }

    private static (string Low, string High) Conversation(string a, string b)
    {
        ArgumentException.ThrowIfNullOrEmpty(a);
        ArgumentException.ThrowIfNullOrEmpty(b);
        return string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }
}
