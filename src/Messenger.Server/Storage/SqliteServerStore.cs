using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage;

/// <summary>
/// <see cref="IServerStore"/> on embedded SQLite in WAL mode. One connection guarded by a lock: SQLite serializes
/// writers anyway, and every statement here takes microseconds. Microsoft.Data.Sqlite's async methods run
/// synchronously, so these methods do too and return completed ValueTasks rather than pretend otherwise.
/// </summary>
public sealed class SqliteServerStore : IServerStore
{
    private const int SchemaVersion = 1;

    private readonly SqliteConnection connection;
    private readonly Lock gate = new();

    private SqliteServerStore(SqliteConnection connection)
    {
        this.connection = connection;
    }

    /// <summary>Opens (creating if needed) data/messenger.db.</summary>
    public static SqliteServerStore Open(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, "messenger.db");
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        // WAL: readers never block the writer. synchronous=FULL: a message answered `stored` has reached the disk,
        // so it survives kill -9 and power loss alike (NORMAL would only survive a process crash).
        Execute(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
        Migrate(connection);
        return new SqliteServerStore(connection);
    }

    private static void Migrate(SqliteConnection connection)
    {
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version;";
        var current = Convert.ToInt32(version.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current >= SchemaVersion)
        {
            return;
        }
        Execute(connection, """
            BEGIN;
            CREATE TABLE IF NOT EXISTS offline_messages (
                id          INTEGER PRIMARY KEY AUTOINCREMENT,
                sender      TEXT    NOT NULL,
                recipient   TEXT    NOT NULL,
                message_id  INTEGER NOT NULL,
                text        TEXT    NOT NULL,
                sent_at_ms  INTEGER NOT NULL,
                UNIQUE (sender, message_id, recipient)
            );
            CREATE INDEX IF NOT EXISTS offline_by_recipient ON offline_messages (recipient, id);
            CREATE TABLE IF NOT EXISTS presence (
                user           TEXT PRIMARY KEY,
                online_since_ms INTEGER NULL,
                last_logout_ms INTEGER NULL
            );
            CREATE TABLE IF NOT EXISTS blocks (
                blocker TEXT NOT NULL,
                blocked TEXT NOT NULL,
                PRIMARY KEY (blocker, blocked)
            );
            CREATE TABLE IF NOT EXISTS lockouts (
                user            TEXT PRIMARY KEY,
                failures        INTEGER NOT NULL,
                locked_until_ms INTEGER NULL
            );
            PRAGMA user_version = 1;
            COMMIT;
            """);
    }

    public ValueTask<long> StoreOfflineAsync(StoredMessage message, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            // A resend of a stored message changes nothing and answers with the row it already has.
            var id = Scalar("""
                INSERT INTO offline_messages (sender, recipient, message_id, text, sent_at_ms)
                VALUES ($sender, $recipient, $messageId, $text, $sentAt)
                ON CONFLICT (sender, message_id, recipient) DO NOTHING
                RETURNING id;
                """,
                ("$sender", message.Sender), ("$recipient", message.Recipient), ("$messageId", message.MessageId),
                ("$text", message.Text), ("$sentAt", message.SentAt.ToUnixTimeMilliseconds()));
            id ??= Scalar("SELECT id FROM offline_messages WHERE sender = $sender AND message_id = $messageId AND recipient = $recipient;",
                ("$sender", message.Sender), ("$messageId", message.MessageId), ("$recipient", message.Recipient));
            return ValueTask.FromResult(Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public ValueTask<IReadOnlyList<StoredMessage>> LoadOfflineAsync(string recipient, int max, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            using var command = Command("""
                SELECT id, sender, recipient, message_id, text, sent_at_ms FROM offline_messages
                WHERE recipient = $recipient ORDER BY id LIMIT $max;
                """, ("$recipient", recipient), ("$max", max));
            using var reader = command.ExecuteReader();
            var messages = new List<StoredMessage>();
            while (reader.Read())
            {
                messages.Add(new StoredMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                    reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
            }
            return ValueTask.FromResult<IReadOnlyList<StoredMessage>>(messages);
        }
    }

    public ValueTask DeleteOfflineAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            using var transaction = connection.BeginTransaction();
            using var command = Command("DELETE FROM offline_messages WHERE id = $id;", ("$id", 0L));
            command.Transaction = transaction;
            foreach (var id in ids)
            {
                command.Parameters["$id"].Value = id;
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> CountOfflineAsync(string recipient, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var count = Scalar("SELECT COUNT(*) FROM offline_messages WHERE recipient = $recipient;", ("$recipient", recipient));
            return ValueTask.FromResult(Convert.ToInt32(count, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    public ValueTask RecordLoginAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Write("""
            INSERT INTO presence (user, online_since_ms) VALUES ($user, $at)
            ON CONFLICT (user) DO UPDATE SET online_since_ms = $at;
            """, ("$user", user), ("$at", at.ToUnixTimeMilliseconds()));

    public ValueTask RecordLogoutAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Write("""
            INSERT INTO presence (user, online_since_ms, last_logout_ms) VALUES ($user, NULL, $at)
            ON CONFLICT (user) DO UPDATE SET online_since_ms = NULL, last_logout_ms = $at;
            """, ("$user", user), ("$at", at.ToUnixTimeMilliseconds()));

    public ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LoadLastLogoutsAsync(DateTimeOffset closeOpenSessionsAt, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            // Sessions the last run never closed (it crashed) end now, so nobody stays "online" forever.
            Execute(connection, "UPDATE presence SET online_since_ms = NULL, last_logout_ms = $at WHERE online_since_ms IS NOT NULL;",
                ("$at", closeOpenSessionsAt.ToUnixTimeMilliseconds()));
            using var command = Command("SELECT user, last_logout_ms FROM presence WHERE last_logout_ms IS NOT NULL;");
            using var reader = command.ExecuteReader();
            var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            while (reader.Read())
            {
                result[reader.GetString(0)] = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
            }
            return ValueTask.FromResult<IReadOnlyDictionary<string, DateTimeOffset>>(result);
        }
    }

    public ValueTask AddBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default) =>
        Write("INSERT OR IGNORE INTO blocks (blocker, blocked) VALUES ($blocker, $blocked);", ("$blocker", blocker), ("$blocked", blocked));

    public ValueTask RemoveBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default) =>
        Write("DELETE FROM blocks WHERE blocker = $blocker AND blocked = $blocked;", ("$blocker", blocker), ("$blocked", blocked));

    public ValueTask<IReadOnlyList<BlockEntry>> LoadBlocksAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            using var command = Command("SELECT blocker, blocked FROM blocks ORDER BY blocker, blocked;");
            using var reader = command.ExecuteReader();
            var result = new List<BlockEntry>();
            while (reader.Read())
            {
                result.Add(new BlockEntry(reader.GetString(0), reader.GetString(1)));
            }
            return ValueTask.FromResult<IReadOnlyList<BlockEntry>>(result);
        }
    }

    public ValueTask SaveLockoutAsync(LockoutRecord record, CancellationToken cancellationToken = default) =>
        record.Failures == 0 && record.LockedUntil is null
            ? Write("DELETE FROM lockouts WHERE user = $user;", ("$user", record.User))
            : Write("""
                INSERT INTO lockouts (user, failures, locked_until_ms) VALUES ($user, $failures, $until)
                ON CONFLICT (user) DO UPDATE SET failures = $failures, locked_until_ms = $until;
                """, ("$user", record.User), ("$failures", record.Failures), ("$until", record.LockedUntil?.ToUnixTimeMilliseconds()));

    public ValueTask<IReadOnlyList<LockoutRecord>> LoadLockoutsAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            using var command = Command("SELECT user, failures, locked_until_ms FROM lockouts;");
            using var reader = command.ExecuteReader();
            var result = new List<LockoutRecord>();
            while (reader.Read())
            {
                result.Add(new LockoutRecord(reader.GetString(0), reader.GetInt32(1),
                    reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
            }
            return ValueTask.FromResult<IReadOnlyList<LockoutRecord>>(result);
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            connection.Dispose();
        }
    }

    private ValueTask Write(string sql, params (string Name, object? Value)[] parameters)
    {
        lock (gate)
        {
            Execute(connection, sql, parameters);
        }
        return ValueTask.CompletedTask;
    }

    private object? Scalar(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteScalar();
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters) => Build(connection, sql, parameters);

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Build(connection, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static SqliteCommand Build(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }
}
