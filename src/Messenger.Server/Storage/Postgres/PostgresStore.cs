using System.Data.Common;
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
        var dataSource = NpgsqlDataSource.Create(WithPreparedStatements(connectionString));
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

    /// <summary>
    /// Npgsql prepares nothing unless asked, so PostgreSQL parsed and planned every statement of the hot path (its parser
    /// was the top of PostgreSQL's profile in cluster W1). Automatic preparation, unless the connection string says
    /// otherwise: a statement run a few times on a pooled connection stays prepared on it.
    /// </summary>
    internal static string WithPreparedStatements(string connectionString)
    {
        // Npgsql's own builder knows every keyword, set or not: what the operator wrote is read from the plain one.
        var written = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!written.Contains("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 64;
        }
        if (!written.Contains("AutoPrepareMinUsages"))
        {
            builder.AutoPrepareMinUsages = 2;
        }
        return builder.ConnectionString;
    }

    /// <summary>The pooled connections, shared with the cluster's coordination (claims, heartbeats).</summary>
    internal NpgsqlDataSource DataSource => dataSource;

    internal PostgresLockouts Lockouts { get; }

    internal PostgresPresenceHistory History { get; }

    public override void Dispose() => dataSource.Dispose();
}
