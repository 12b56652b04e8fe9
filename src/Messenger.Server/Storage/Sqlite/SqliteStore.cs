namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// <see cref="IServerStore"/> on embedded SQLite: one <see cref="SqliteDatabase"/> (connections, group commit) shared
/// by one class per table family, to which every call is delegated. Invalid arguments throw at once; every other
/// failure comes back inside the returned task.
/// </summary>
public sealed class SqliteStore : IServerStore
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = SqliteDatabase.FileName;

    private readonly SqliteDatabase database;
    private readonly SqliteMailbox mailbox;
    private readonly SqlitePresenceHistory history;
    private readonly SqliteBlocks blocks;
    private readonly SqliteLockouts lockouts;

    private SqliteStore(SqliteDatabase database)
    {
        this.database = database;
        mailbox = new SqliteMailbox(database);
        history = new SqlitePresenceHistory(database);
        blocks = new SqliteBlocks(database);
        lockouts = new SqliteLockouts(database);
    }

    /// <summary>Opens <c>messenger.db</c> in <paramref name="dataDirectory"/>, creating the directory, file and schema as needed.</summary>
    /// <exception cref="InvalidOperationException">The file was written by a newer server with a schema this one does not know.</exception>
    public static SqliteStore Open(string dataDirectory)
    {
        var database = SqliteDatabase.Open(dataDirectory);
        try
        {
            return new SqliteStore(database);
        }
        catch
        {
            database.Dispose();
            throw;
        }
    }

    public ValueTask<long> StoreOfflineAsync(StoredMessage message, CancellationToken cancellationToken = default) =>
        mailbox.StoreOfflineAsync(message, cancellationToken);

    public ValueTask<long?> StoreOfflineIfRoomAsync(StoredMessage message, int maxPerRecipient, CancellationToken cancellationToken = default) =>
        mailbox.StoreOfflineIfRoomAsync(message, maxPerRecipient, cancellationToken);

    public ValueTask<IReadOnlyList<StoredMessage>> LoadOfflineAsync(string recipient, long afterId, int max, CancellationToken cancellationToken = default) =>
        mailbox.LoadOfflineAsync(recipient, afterId, max, cancellationToken);

    public ValueTask DeleteOfflineAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        mailbox.DeleteOfflineAsync(ids, cancellationToken);

    public ValueTask<int> CountOfflineAsync(string recipient, CancellationToken cancellationToken = default) =>
        mailbox.CountOfflineAsync(recipient, cancellationToken);

    public ValueTask RecordLoginAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        history.RecordLoginAsync(user, at, cancellationToken);

    public ValueTask RecordLogoutAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        history.RecordLogoutAsync(user, at, cancellationToken);

    public ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LoadLastLogoutsAsync(DateTimeOffset closeOpenSessionsAt, CancellationToken cancellationToken = default) =>
        history.LoadLastLogoutsAsync(closeOpenSessionsAt, cancellationToken);

    public ValueTask AddBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default) =>
        blocks.AddBlockAsync(blocker, blocked, cancellationToken);

    public ValueTask RemoveBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default) =>
        blocks.RemoveBlockAsync(blocker, blocked, cancellationToken);

    public ValueTask<IReadOnlyList<BlockEntry>> LoadBlocksAsync(CancellationToken cancellationToken = default) =>
        blocks.LoadBlocksAsync(cancellationToken);

    public ValueTask SaveLockoutAsync(LockoutRecord record, CancellationToken cancellationToken = default) =>
        lockouts.SaveLockoutAsync(record, cancellationToken);

    public ValueTask<IReadOnlyList<LockoutRecord>> LoadLockoutsAsync(CancellationToken cancellationToken = default) =>
        lockouts.LoadLockoutsAsync(cancellationToken);

    /// <inheritdoc cref="SqliteDatabase.Dispose"/>
    public void Dispose() => database.Dispose();

    /// <inheritdoc cref="SqliteDatabase.ReadSettings"/>
    internal (string JournalMode, long Synchronous, long BusyTimeoutMilliseconds) ReadSettings() => database.ReadSettings();

    /// <inheritdoc cref="SqliteDatabase.Commits"/>
    internal long Commits => database.Commits;

    /// <inheritdoc cref="SqliteDatabase.WhileLockedForTest"/>
    internal void WhileLockedForTest(Action action) => database.WhileLockedForTest(action);
}
