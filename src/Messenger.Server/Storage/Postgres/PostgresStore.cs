using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary>
/// <see cref="IServerStore"/> on PostgreSQL, for cluster mode: every node shares one database. A returned task means
/// committed (<c>synchronous_commit=on</c>, PostgreSQL's default). One class per table family, as in the SQLite store.
/// </summary>
public sealed class PostgresStore : ComposedStore
{
    private readonly NpgsqlDataSource dataSource;

    private PostgresStore(NpgsqlDataSource dataSource, PostgresPresenceHistory history, PostgresLockouts lockouts)
        : base(new PostgresMailbox(dataSource), history, new PostgresBlocks(dataSource), lockouts,
            new PostgresRooms(dataSource), new PostgresRoomLog(dataSource), new PostgresDirectHistory(dataSource),
            new PostgresUserSettings(dataSource)) =>
        (this.dataSource, History, Lockouts) = (dataSource, history, lockouts);

    /// <summary>Connects (pooled) and creates the schema if needed. <paramref name="nodeId"/> owns the sessions this store records.</summary>
    public static async Task<PostgresStore> OpenAsync(string connectionString, string nodeId, CancellationToken cancellationToken = default)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await PostgresSchema.CreateAsync(dataSource, cancellationToken);
            return new PostgresStore(dataSource, new PostgresPresenceHistory(dataSource, nodeId), new PostgresLockouts(dataSource));
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>The pooled connections, shared with the cluster's coordination (claims, heartbeats).</summary>
    internal NpgsqlDataSource DataSource => dataSource;

    internal PostgresLockouts Lockouts { get; }

    internal PostgresPresenceHistory History { get; }

    public override void Dispose() => dataSource.Dispose();
}
