using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// The open database file (<c>messenger.db</c> in the server's data directory), WAL mode, and the three ways its
/// table classes reach it: queued writes, reads on the read connection, and immediate work on the write connection.
/// </summary>
/// <remarks>
/// <para>
/// Concurrency: one writing <see cref="SqliteConnection"/> guarded by <see cref="gate"/> (SQLite serializes writers
/// anyway, and one connection keeps the prepared statements reusable), and one reading connection for the hot reads
/// (offline messages at login), guarded by <see cref="readGate"/>, so a login never waits behind a commit's fsync.
/// Callers on any thread may call any method at any time; <see cref="Dispose"/> makes later calls fail with
/// <see cref="ObjectDisposedException"/>.
/// </para>
/// <para>
/// Reads run synchronously on the calling thread (SQLite has no asynchronous I/O; Microsoft.Data.Sqlite's async
/// methods run synchronously under the hood) and return a completed <see cref="ValueTask"/>. Writes go through a
/// <see cref="GroupCommitWriter"/>: whatever is queued while one commit's fsync runs shares the next transaction, so
/// 10,000 logins cost tens of fsyncs, not 10,000, and at most one thread waits on the disk at a time. A write's task
/// completes after its transaction committed. Failures (including cancellation requested before the call) come back
/// inside the task, never as a synchronous throw.
/// </para>
/// </remarks>
internal sealed class SqliteDatabase : IDisposable
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = "messenger.db";

    /// <summary>How long a statement waits for a lock held by another connection (e.g. an operator's sqlite3 shell).</summary>
    private const int BusyTimeoutMilliseconds = 5000;

    private readonly SqliteConnection connection;
    private readonly Lock gate = new();
    private readonly List<SqliteCommand> commands = [];
    private readonly List<SqliteRawStatement> rawStatements = [];

    /// <summary>
    /// A second connection for the reads on the login and store paths, under <see cref="readGate"/>: in WAL mode it
    /// reads the last committed state without waiting for a group commit's fsync on <see cref="connection"/>.
    /// </summary>
    private readonly SqliteConnection readConnection;
    private readonly Lock readGate = new();
    private readonly List<SqliteCommand> readCommands = [];

    private readonly GroupCommitWriter writes;
    private bool disposed;

    private SqliteDatabase(SqliteConnection connection, SqliteConnection readConnection)
    {
        this.connection = connection;
        this.readConnection = readConnection;
        writes = new GroupCommitWriter(connection, commands, gate);
    }

    /// <summary>Opens <c>messenger.db</c> in <paramref name="dataDirectory"/>, creating the directory, file and schema as needed.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer server with a schema this one does not know.</exception>
    public static SqliteDatabase Open(string dataDirectory)
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
        var busyTimeout = string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout={BusyTimeoutMilliseconds};");
        try
        {
            connection.Open();
            // journal_mode=WAL: readers never block the writer, and a commit appends to the log instead of rewriting
            // pages in place. synchronous=FULL: every commit fsyncs the WAL before returning, so a message the server
            // has answered `stored` is on the disk and survives kill -9 *and* power loss. (NORMAL would fsync only at
            // checkpoints: still safe against kill -9, but a power cut could drop the last commits, and with them
            // messages the sender already deleted from its outbox.) The cost is one fsync per write, off the fast path
            // because only offline recipients' messages are stored.
            connection.Execute("PRAGMA journal_mode=WAL;");
            connection.Execute("PRAGMA synchronous=FULL;");
            connection.Execute(busyTimeout);
            SqliteSchema.Migrate(connection);
            readConnection.Open();
            readConnection.Execute(busyTimeout);
            readConnection.Execute("PRAGMA query_only=1;");
            return new SqliteDatabase(connection, readConnection);
        }
        catch
        {
            readConnection.Dispose();
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Prepares a statement on the write connection: for queued writes and <see cref="RunOnWriter"/>.</summary>
    public SqliteCommand Prepare(string sql, params string[] parameterNames) =>
        SqliteStatements.Prepare(connection, commands, sql, parameterNames);

    /// <summary>Prepares a statement for the C API on the write connection (<see cref="SqliteRawStatement"/>): for hot writes inside <see cref="Transact"/>.</summary>
    public SqliteRawStatement PrepareRaw(string sql)
    {
        lock (gate)
        {
            var statement = new SqliteRawStatement(connection, sql);
            rawStatements.Add(statement);
            return statement;
        }
    }

    /// <summary>Prepares a statement on the read connection: for <see cref="Read"/>.</summary>
    public SqliteCommand PrepareRead(string sql, params string[] parameterNames) =>
        SqliteStatements.Prepare(readConnection, readCommands, sql, parameterNames);

    /// <summary>Queues a write for the next group commit; the task completes once it is durable, with its result.</summary>
    public Task<T> Enqueue<T>(Func<T> work, CancellationToken cancellationToken) => writes.Enqueue(work, cancellationToken);

    /// <summary>Queues one statement, bound to <paramref name="values"/>, for the next group commit.</summary>
    public ValueTask Write(SqliteCommand command, (string Name, object? Value)[] values, CancellationToken cancellationToken) =>
        new(Enqueue(() =>
        {
            command.Bind(values);
            return command.ExecuteNonQuery();
        }, cancellationToken));

    /// <summary>
    /// Runs <paramref name="work"/> on the write connection in a transaction of its own, between group commits, and
    /// returns once it committed; a failure rolls it back and is thrown. For work that changes memory only after its
    /// commit (the direct history's log and chunks).
    /// </summary>
    public T Transact<T>(Func<T> work)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return writes.CommitAlone(work);
        }
    }

    /// <summary>Runs a read on the read connection, which never waits for a commit in progress.</summary>
    public ValueTask<T> Read<T>(Func<T> work, CancellationToken cancellationToken) => Run(readGate, work, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> on the write connection now, outside any group commit (each statement commits on
    /// its own): for the loads at start-up.
    /// </summary>
    public ValueTask<T> RunOnWriter<T>(Func<T> work, CancellationToken cancellationToken) => Run(gate, work, cancellationToken);

    /// <summary>Runs <paramref name="work"/> under <paramref name="lockToHold"/> and hands back its result or failure as a completed task.</summary>
    private ValueTask<T> Run<T>(Lock lockToHold, Func<T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }
        try
        {
            lock (lockToHold)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                return ValueTask.FromResult(work());
            }
        }
        catch (Exception exception)
        {
            return ValueTask.FromException<T>(exception);
        }
    }

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
                DisposeAll(readCommands);
                readConnection.Dispose();
            }
            DisposeAll(commands);
            foreach (var statement in rawStatements)
            {
                statement.Dispose(); // finalized before the close, or the file would stay open
            }
            // Closing the last connection checkpoints the WAL into the main file and removes -wal and -shm.
            connection.Dispose();
        }
        writes.WaitForLoop(TimeSpan.FromSeconds(5));
    }

    private static void DisposeAll(List<SqliteCommand> statements)
    {
        foreach (var statement in statements)
        {
            statement.Dispose();
        }
    }

    /// <summary>The write connection's durability settings, for tests: journal mode, synchronous level (2 = FULL), busy timeout.</summary>
    internal (string JournalMode, long Synchronous, long BusyTimeoutMilliseconds) ReadSettings()
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return ((string)connection.Scalar("PRAGMA journal_mode;")!,
                (long)connection.Scalar("PRAGMA synchronous;")!,
                (long)connection.Scalar("PRAGMA busy_timeout;")!);
        }
    }

    /// <summary>How many transactions the group commit has made; for tests.</summary>
    internal long Commits => writes.Commits;

    /// <summary>Runs <paramref name="action"/> holding the write lock, so no commit can finish meanwhile; for tests.</summary>
    internal void WhileLockedForTest(Action action)
    {
        lock (gate)
        {
            action();
        }
    }
}
