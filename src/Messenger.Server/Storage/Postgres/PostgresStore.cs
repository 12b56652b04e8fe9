using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary>
/// <see cref="IServerStore"/> on PostgreSQL, for cluster mode: every node shares one database. A returned task means
/// committed (<c>synchronous_commit=on</c>, PostgreSQL's default). One class per table family, as in the SQLite store.
/// </summary>
public sealed class PostgresStore : IServerStore
{
    private readonly NpgsqlDataSource dataSource;
    private readonly PostgresMailbox mailbox;
    private readonly PostgresPresenceHistory history;
    private readonly PostgresBlocks blocks;
    private readonly PostgresLockouts lockouts;

    private PostgresStore(NpgsqlDataSource dataSource, string nodeId)
    {
        this.dataSource = dataSource;
        mailbox = new PostgresMailbox(dataSource);
        history = new PostgresPresenceHistory(dataSource, nodeId);
        blocks = new PostgresBlocks(dataSource);
        lockouts = new PostgresLockouts(dataSource);
    }

    /// <summary>Connects (pooled) and creates the schema if needed. <paramref name="nodeId"/> owns the sessions this store records.</summary>
    public static async Task<PostgresStore> OpenAsync(string connectionString, string nodeId, CancellationToken cancellationToken = default)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await PostgresSchema.CreateAsync(dataSource, cancellationToken);
            return new PostgresStore(dataSource, nodeId);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>The pooled connections, shared with the cluster's coordination (claims, heartbeats).</summary>
    internal NpgsqlDataSource DataSource => dataSource;

    internal PostgresLockouts Lockouts => lockouts;

    internal PostgresPresenceHistory History => history;

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

    public void Dispose() => dataSource.Dispose();
}
