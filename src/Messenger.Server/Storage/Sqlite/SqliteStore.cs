namespace Messenger.Server.Storage.Sqlite;

/// <summary>
/// <see cref="IServerStore"/> on embedded SQLite: one <see cref="SqliteDatabase"/> (connections, group commit) shared
/// by one class per table family (mailbox, presence history, blocks, lockouts, rooms, room log, direct history), to which every call is delegated. Invalid arguments throw at once; every other
/// failure comes back inside the returned task.
/// </summary>
public sealed class SqliteStore : ComposedStore
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = SqliteDatabase.FileName;

    private readonly SqliteDatabase database;

    private SqliteStore(SqliteDatabase database)
        : base(new SqliteMailbox(database), new SqlitePresenceHistory(database), new SqliteBlocks(database), new SqliteLockouts(database),
            new SqliteRooms(database), new SqliteRoomLog(database), new SqliteDirectHistory(database), new SqliteUserSettings(database)) =>
        this.database = database;

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

    /// <inheritdoc cref="SqliteDatabase.Dispose"/>
    public override void Dispose() => database.Dispose();

    /// <inheritdoc cref="SqliteDatabase.ReadSettings"/>
    internal (string JournalMode, long Synchronous, long BusyTimeoutMilliseconds) ReadSettings() => database.ReadSettings();

    /// <inheritdoc cref="SqliteDatabase.Commits"/>
    internal long Commits => database.Commits;

    /// <inheritdoc cref="SqliteDatabase.WhileLockedForTest"/>
    internal void WhileLockedForTest(Action action) => database.WhileLockedForTest(action);
}
