using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage;

/// <summary>
/// <see cref="IServerStore"/> on embedded SQLite (<c>messenger.db</c> in the server's data directory), WAL mode.
/// </summary>
/// <remarks>
/// <para>
/// Concurrency: one writing <see cref="SqliteConnection"/> guarded by <see cref="gate"/> (SQLite serializes writers
/// anyway, and one connection keeps the prepared statements reusable), and one reading connection for the hot reads
/// (offline messages at login), guarded by <see cref="readGate"/>, so a login never waits behind a commit's fsync. Callers on any thread may call any method at any time; <see cref="Dispose"/> makes
/// later calls fail with <see cref="ObjectDisposedException"/>.
/// </para>
/// <para>
/// Reads run synchronously on the calling thread (SQLite has no asynchronous I/O; Microsoft.Data.Sqlite's async
/// methods run synchronously under the hood) and return a completed <see cref="ValueTask"/>. Writes go through a
/// <see cref="GroupCommitQueue"/>: whatever is queued while one commit's fsync runs shares the next transaction, so
/// 10,000 logins cost tens of fsyncs, not 10,000, and at most one thread waits on the disk at a time. A write's task
/// completes after its transaction committed. Failures (including cancellation requested before the call) come back
/// inside the task, never as a synchronous throw, except for invalid arguments.
/// </para>
/// <para>
/// Statements are prepared once per store and bound with parameters (no value is ever concatenated into SQL).
/// Times are Unix milliseconds (UTC). Schema changes go through <see cref="Migrations"/> and
/// <c>PRAGMA user_version</c>.
/// </para>
/// </remarks>
public sealed class SqliteServerStore : IServerStore
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = "messenger.db";

    /// <summary>How long a statement waits for a lock held by another connection (e.g. an operator's sqlite3 shell).</summary>
    private const int BusyTimeoutMilliseconds = 5000;

    /// <summary>
    /// Schema steps: applying <c>Migrations[i]</c> takes a database from user_version i to i + 1. Append only;
    /// never edit a step that has shipped.
    /// </summary>
    private static readonly string[] Migrations =
    [
        // 0 -> 1
        """
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
        -- Login history, one row per user: the session open now (online_since_ms, NULL when offline) and when the
        -- last one ended. whoelsesince needs only the last logout, so the table does not grow with every login.
        CREATE TABLE IF NOT EXISTS presence (
            user            TEXT PRIMARY KEY,
            online_since_ms INTEGER NULL,
            last_logout_ms  INTEGER NULL
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
        """,
    ];

    private static int SchemaVersion => Migrations.Length;

    private const string CountOfflineSql = "SELECT COUNT(*) FROM offline_messages WHERE recipient = $recipient;";

    private readonly SqliteConnection connection;

    /// <summary>
    /// A second connection for the reads on the login and store paths, under <see cref="readGate"/>: in WAL mode it
    /// reads the last committed state without waiting for a group commit's fsync on <see cref="connection"/>.
    /// </summary>
    private readonly SqliteConnection readConnection;
    private readonly Lock readGate = new();
    private readonly List<SqliteCommand> readCommands = [];
    private readonly Lock gate = new();
    private readonly List<SqliteCommand> commands = [];
    private readonly GroupCommitQueue writes;
    private bool disposed;

    private readonly SqliteCommand insertOffline;
    private readonly SqliteCommand findOffline;
    private readonly SqliteCommand loadOffline;
    private readonly SqliteCommand deleteOffline;
    private readonly SqliteCommand countOffline;
    private readonly SqliteCommand countOfflineBeforeInsert;
    private readonly SqliteCommand recordLogin;
    private readonly SqliteCommand recordLogout;
    private readonly SqliteCommand closeOpenSessions;
    private readonly SqliteCommand loadLastLogouts;
    private readonly SqliteCommand addBlock;
    private readonly SqliteCommand removeBlock;
    private readonly SqliteCommand loadBlocks;
    private readonly SqliteCommand upsertLockout;
    private readonly SqliteCommand deleteLockout;
    private readonly SqliteCommand loadLockouts;

    private SqliteServerStore(SqliteConnection connection, SqliteConnection readConnection)
    {
        this.connection = connection;
        this.readConnection = readConnection;
        writes = new GroupCommitQueue(CommitBatch, gate);

        // A resend of a stored message conflicts, inserts nothing and returns no row; findOffline then answers
        // with the row it already has.
        insertOffline = Prepare("""
            INSERT INTO offline_messages (sender, recipient, message_id, text, sent_at_ms)
            VALUES ($sender, $recipient, $messageId, $text, $sentAt)
            ON CONFLICT (sender, message_id, recipient) DO NOTHING
            RETURNING id;
            """, "$sender", "$recipient", "$messageId", "$text", "$sentAt");
        findOffline = Prepare(
            "SELECT id FROM offline_messages WHERE sender = $sender AND message_id = $messageId AND recipient = $recipient;",
            "$sender", "$messageId", "$recipient");
        loadOffline = PrepareRead("""
            SELECT id, sender, recipient, message_id, text, sent_at_ms FROM offline_messages
            WHERE recipient = $recipient AND id > $after ORDER BY id LIMIT $max;
            """, "$recipient", "$after", "$max");
        deleteOffline = Prepare("DELETE FROM offline_messages WHERE id = $id;", "$id");
        // The same count on both connections: the writer's sees its own batch's inserts (the mailbox cap).
        countOfflineBeforeInsert = Prepare(CountOfflineSql, "$recipient");
        countOffline = PrepareRead(CountOfflineSql, "$recipient");

        recordLogin = Prepare("""
            INSERT INTO presence (user, online_since_ms) VALUES ($user, $at)
            ON CONFLICT (user) DO UPDATE SET online_since_ms = excluded.online_since_ms;
            """, "$user", "$at");
        recordLogout = Prepare("""
            INSERT INTO presence (user, online_since_ms, last_logout_ms) VALUES ($user, NULL, $at)
            ON CONFLICT (user) DO UPDATE SET online_since_ms = NULL, last_logout_ms = excluded.last_logout_ms;
            """, "$user", "$at");
        closeOpenSessions = Prepare(
            "UPDATE presence SET online_since_ms = NULL, last_logout_ms = $at WHERE online_since_ms IS NOT NULL;", "$at");
        loadLastLogouts = Prepare("SELECT user, last_logout_ms FROM presence WHERE last_logout_ms IS NOT NULL;");

        addBlock = Prepare("INSERT OR IGNORE INTO blocks (blocker, blocked) VALUES ($blocker, $blocked);", "$blocker", "$blocked");
        removeBlock = Prepare("DELETE FROM blocks WHERE blocker = $blocker AND blocked = $blocked;", "$blocker", "$blocked");
        loadBlocks = Prepare("SELECT blocker, blocked FROM blocks ORDER BY blocker, blocked;");

        upsertLockout = Prepare("""
            INSERT INTO lockouts (user, failures, locked_until_ms) VALUES ($user, $failures, $until)
            ON CONFLICT (user) DO UPDATE SET failures = excluded.failures, locked_until_ms = excluded.locked_until_ms;
            """, "$user", "$failures", "$until");
        deleteLockout = Prepare("DELETE FROM lockouts WHERE user = $user;", "$user");
        loadLockouts = Prepare("SELECT user, failures, locked_until_ms FROM lockouts ORDER BY user;");
    }

    /// <summary>Opens <c>messenger.db</c> in <paramref name="dataDirectory"/>, creating the directory, file and schema as needed.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer server with a schema this one does not know.</exception>
    public static SqliteServerStore Open(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        Directory.CreateDirectory(dataDirectory);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            // No pool: Dispose really closes the file, so tests (and an operator) can delete, move or reopen it.
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        var readConnection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            // journal_mode=WAL: readers never block the writer, and a commit appends to the log instead of rewriting
            // pages in place. synchronous=FULL: every commit fsyncs the WAL before returning, so a message the server
            // has answered `stored` is on the disk and survives kill -9 *and* power loss. (NORMAL would fsync only at
            // checkpoints: still safe against kill -9, but a power cut could drop the last commits, and with them
            // messages the sender already deleted from its outbox.) The cost is one fsync per write, off the fast path
            // because only offline recipients' messages are stored.
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, "PRAGMA synchronous=FULL;");
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds};"));
            Migrate(connection);
            readConnection.Open();
            Execute(readConnection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds};"));
            Execute(readConnection, "PRAGMA query_only=1;");
            return new SqliteServerStore(connection, readConnection);
        }
        catch
        {
            readConnection.Dispose();
            connection.Dispose();
            throw;
        }
    }

    private static void Migrate(SqliteConnection connection)
    {
        var current = Convert.ToInt32(Scalar(connection, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
        if (current > SchemaVersion)
        {
            throw new InvalidOperationException(
                $"{connection.DataSource} has schema version {current}, newer than this server's {SchemaVersion}; refusing to open it.");
        }
        for (var version = current; version < SchemaVersion; version++)
        {
            // Each step and its version number commit together, so a crash mid-migration leaves the old version.
            using var transaction = connection.BeginTransaction();
            Execute(connection, Migrations[version], transaction);
            Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {version + 1};"), transaction);
            transaction.Commit();
        }
    }

    public ValueTask<long> StoreOfflineAsync(StoredMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return Enqueue(static (store, message) => store.StoreOffline(message), message, cancellationToken);
    }

    private long StoreOffline(StoredMessage message)
    {
        Bind(insertOffline, ("$sender", message.Sender), ("$recipient", message.Recipient), ("$messageId", message.MessageId),
            ("$text", message.Text), ("$sentAt", message.SentAt.ToUnixTimeMilliseconds()));
        var id = insertOffline.ExecuteScalar();
        if (id is null)
        {
            Bind(findOffline, ("$sender", message.Sender), ("$messageId", message.MessageId), ("$recipient", message.Recipient));
            id = findOffline.ExecuteScalar();
        }
        return Convert.ToInt64(id, CultureInfo.InvariantCulture);
    }

    public ValueTask<long?> StoreOfflineIfRoomAsync(StoredMessage message, int maxPerRecipient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfNegative(maxPerRecipient);
        return Enqueue(static (store, args) => store.StoreOfflineIfRoom(args.message, args.maxPerRecipient), (message, maxPerRecipient), cancellationToken);
    }

    /// <summary>
    /// Runs on the group-commit writer, inside its transaction: no other write runs between the count and the insert,
    /// and the count sees this batch's earlier inserts.
    /// </summary>
    private long? StoreOfflineIfRoom(StoredMessage message, int maxPerRecipient)
    {
        Bind(findOffline, ("$sender", message.Sender), ("$messageId", message.MessageId), ("$recipient", message.Recipient));
        if (findOffline.ExecuteScalar() is { } existing)
        {
            return Convert.ToInt64(existing, CultureInfo.InvariantCulture);
        }
        Bind(countOfflineBeforeInsert, ("$recipient", message.Recipient));
        return Convert.ToInt32(countOfflineBeforeInsert.ExecuteScalar(), CultureInfo.InvariantCulture) >= maxPerRecipient
            ? null
            : StoreOffline(message);
    }

    public ValueTask<IReadOnlyList<StoredMessage>> LoadOfflineAsync(string recipient, long afterId, int max, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        // SQLite reads a negative LIMIT as "no limit"; refuse it rather than return everything.
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        return RunRead(static (store, args) => store.LoadOffline(args.recipient, args.afterId, args.max), (recipient, afterId, max), cancellationToken);
    }

    private IReadOnlyList<StoredMessage> LoadOffline(string recipient, long afterId, int max)
    {
        Bind(loadOffline, ("$recipient", recipient), ("$after", afterId), ("$max", max));
        using var reader = loadOffline.ExecuteReader();
        var messages = new List<StoredMessage>();
        while (reader.Read())
        {
            messages.Add(new StoredMessage(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetString(4), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5))));
        }
        return messages;
    }

    public ValueTask DeleteOfflineAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return WithoutResult(Enqueue(static (store, ids) => store.DeleteOffline(ids), ids, cancellationToken));
    }

    /// <summary>Deletes the rows with these ids; returns how many existed.</summary>
    private int DeleteOffline(IReadOnlyCollection<long> ids)
    {
        if (ids.Count == 0)
        {
            return 0;
        }
        // Inside one group-commit transaction: either every acknowledged row goes or none does.
        var deleted = 0;
        foreach (var id in ids)
        {
            Bind(deleteOffline, ("$id", id));
            deleted += deleteOffline.ExecuteNonQuery();
        }
        return deleted;
    }

    public ValueTask<int> CountOfflineAsync(string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return RunRead(static (store, recipient) =>
        {
            Bind(store.countOffline, ("$recipient", recipient));
            return Convert.ToInt32(store.countOffline.ExecuteScalar(), CultureInfo.InvariantCulture);
        }, recipient, cancellationToken);
    }

    public ValueTask RecordLoginAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Write(recordLogin, [("$user", user), ("$at", at.ToUnixTimeMilliseconds())], cancellationToken);
    }

    public ValueTask RecordLogoutAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Write(recordLogout, [("$user", user), ("$at", at.ToUnixTimeMilliseconds())], cancellationToken);
    }

    public ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LoadLastLogoutsAsync(DateTimeOffset closeOpenSessionsAt, CancellationToken cancellationToken = default) =>
        Run(static (store, at) => store.LoadLastLogouts(at), closeOpenSessionsAt, cancellationToken);

    private IReadOnlyDictionary<string, DateTimeOffset> LoadLastLogouts(DateTimeOffset closeOpenSessionsAt)
    {
        // Sessions the last run never closed (it was killed) end now, so nobody looks online forever.
        Bind(closeOpenSessions, ("$at", closeOpenSessionsAt.ToUnixTimeMilliseconds()));
        closeOpenSessions.ExecuteNonQuery();
        using var reader = loadLastLogouts.ExecuteReader();
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        while (reader.Read())
        {
            result[reader.GetString(0)] = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1));
        }
        return result;
    }

    public ValueTask AddBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocker);
        ArgumentNullException.ThrowIfNull(blocked);
        return Write(addBlock, [("$blocker", blocker), ("$blocked", blocked)], cancellationToken);
    }

    public ValueTask RemoveBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocker);
        ArgumentNullException.ThrowIfNull(blocked);
        return Write(removeBlock, [("$blocker", blocker), ("$blocked", blocked)], cancellationToken);
    }

    public ValueTask<IReadOnlyList<BlockEntry>> LoadBlocksAsync(CancellationToken cancellationToken = default) =>
        Run(static (store, _) =>
        {
            using var reader = store.loadBlocks.ExecuteReader();
            var result = new List<BlockEntry>();
            while (reader.Read())
            {
                result.Add(new BlockEntry(reader.GetString(0), reader.GetString(1)));
            }
            return (IReadOnlyList<BlockEntry>)result;
        }, 0, cancellationToken);

    public ValueTask SaveLockoutAsync(LockoutRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Failures == 0 && record.LockedUntil is null
            ? Write(deleteLockout, [("$user", record.User)], cancellationToken)
            : Write(upsertLockout,
                [("$user", record.User), ("$failures", record.Failures), ("$until", record.LockedUntil?.ToUnixTimeMilliseconds())],
                cancellationToken);
    }

    public ValueTask<IReadOnlyList<LockoutRecord>> LoadLockoutsAsync(CancellationToken cancellationToken = default) =>
        Run(static (store, _) =>
        {
            using var reader = store.loadLockouts.ExecuteReader();
            var result = new List<LockoutRecord>();
            while (reader.Read())
            {
                result.Add(new LockoutRecord(reader.GetString(0), reader.GetInt32(1),
                    reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2))));
            }
            return (IReadOnlyList<LockoutRecord>)result;
        }, 0, cancellationToken);

    /// <summary>
    /// Commits the writes already queued, then closes the database file (no pooling, so the file is free
    /// afterwards). Safe to call twice.
    /// </summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
            {
                return;
            }
            writes.Complete();
            disposed = true;
            lock (readGate)
            {
                foreach (var command in readCommands)
                {
                    command.Dispose();
                }
                readConnection.Dispose();
            }
            foreach (var command in commands)
            {
                command.Dispose();
            }
            // Closing the last connection checkpoints the WAL into the main file and removes -wal and -shm.
            connection.Dispose();
        }
    }

    /// <summary>The connection's durability settings, for tests: journal mode, synchronous level (2 = FULL), busy timeout.</summary>
    internal (string JournalMode, long Synchronous, long BusyTimeoutMilliseconds) ReadSettings()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return ((string)Scalar(connection, "PRAGMA journal_mode;")!,
                (long)Scalar(connection, "PRAGMA synchronous;")!,
                (long)Scalar(connection, "PRAGMA busy_timeout;")!);
        }
    }

    /// <summary>Runs a read on the read connection, which never waits for a commit in progress.</summary>
    private ValueTask<TResult> RunRead<TArg, TResult>(Func<SqliteServerStore, TArg, TResult> work, TArg arg, CancellationToken cancellationToken) =>
        Run(readGate, work, arg, cancellationToken);

    private ValueTask<TResult> Run<TArg, TResult>(Func<SqliteServerStore, TArg, TResult> work, TArg arg, CancellationToken cancellationToken) =>
        Run(gate, work, arg, cancellationToken);

    /// <summary>Runs <paramref name="work"/> under <paramref name="lockToHold"/> and hands back its result or failure as a completed task.</summary>
    private ValueTask<TResult> Run<TArg, TResult>(Lock lockToHold, Func<SqliteServerStore, TArg, TResult> work, TArg arg, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResult>(cancellationToken);
        }
        try
        {
            lock (lockToHold)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                return ValueTask.FromResult(work(this, arg));
            }
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<TResult>(exception);
        }
    }

    /// <summary>Queues a write for the next group commit; the task completes once it is durable.</summary>
    private async ValueTask<TResult> Enqueue<TArg, TResult>(Func<SqliteServerStore, TArg, TResult> work, TArg arg, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return (TResult)(await writes.Enqueue(() => work(this, arg)))!;
    }

    private ValueTask Write(SqliteCommand command, (string Name, object? Value)[] values, CancellationToken cancellationToken) =>
        WithoutResult(Enqueue(static (_, args) =>
        {
            Bind(args.command, args.values);
            return args.command.ExecuteNonQuery();
        }, (command, values), cancellationToken));

    private static ValueTask WithoutResult<T>(ValueTask<T> task) =>
        task.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(task.AsTask());

    /// <summary>How many transactions the group commit has made; tests use it to see that queued writes share one.</summary>
    internal long Commits => Interlocked.Read(ref commits);

    private long commits;

    /// <summary>Runs <paramref name="action"/> holding the store's lock, so no commit can finish meanwhile; for tests.</summary>
    internal void WhileLockedForTest(Action action)
    {
        lock (gate)
        {
            action();
        }
    }

    /// <summary>
    /// Runs one batch in one transaction. If any write in it fails, the batch is rolled back and each write is run
    /// again in a transaction of its own, so one bad write fails only its own caller.
    /// </summary>
    private void CommitBatch(IReadOnlyList<QueuedWrite> batch)
    {
        // Called by the queue holding the gate, so a batch and a dispose never interleave.
        if (disposed)
        {
            foreach (var write in batch)
            {
                write.Done.TrySetException(new ObjectDisposedException(nameof(SqliteServerStore)));
            }
            return;
        }
        var results = new object?[batch.Count];
        if (batch.Count > 1 && TryInTransaction(batch, results, out _))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            if (TryInTransaction([batch[i]], results, out var failure))
            {
                batch[i].Done.TrySetResult(results[0]);
            }
            else
            {
                batch[i].Done.TrySetException(failure!);
            }
        }
    }

    /// <summary>Caller holds the lock. Runs the writes and commits them together, or rolls all of them back.</summary>
    private bool TryInTransaction(IReadOnlyList<QueuedWrite> batch, object?[] results, out Exception? failure)
    {
        failure = null;
        try
        {
            using var transaction = connection.BeginTransaction();
            SetTransaction(transaction);
            try
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    results[i] = batch[i].Work();
                }
                transaction.Commit();
                Interlocked.Increment(ref commits);
                return true;
            }
            finally
            {
                SetTransaction(null);
            }
        }
        catch (Exception exception) when (exception is SqliteException or InvalidOperationException or ArgumentException or FormatException or InvalidCastException)
        {
            failure = exception;
            return false;
        }
    }

    private void SetTransaction(SqliteTransaction? transaction)
    {
        foreach (var command in commands)
        {
            command.Transaction = transaction;
        }
    }

    private SqliteCommand Prepare(string sql, params string[] parameterNames) => Prepare(connection, commands, sql, parameterNames);

    private SqliteCommand PrepareRead(string sql, params string[] parameterNames) => Prepare(readConnection, readCommands, sql, parameterNames);

    private static SqliteCommand Prepare(SqliteConnection connection, List<SqliteCommand> commands, string sql, string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
        }
        command.Prepare();
        commands.Add(command);
        return command;
    }

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value ?? DBNull.Value;
        }
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
