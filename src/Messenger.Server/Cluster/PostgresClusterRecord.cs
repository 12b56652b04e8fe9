using Messenger.Server.Storage.Postgres;
using Npgsql;

namespace Messenger.Server.Cluster;

/// <summary>
/// The coordination record in PostgreSQL: <c>nodes</c> (heartbeats on the database's own clock, <c>now()</c>, so
/// nodes' clocks need not agree) and <c>sessions</c> (claims). Heartbeats skip the WAL flush: one lost in a crash
/// costs nothing.
/// </summary>
public sealed class PostgresClusterRecord(NpgsqlDataSource dataSource) : IClusterRecord
{
    public async Task HeartbeatAsync(string node, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var relaxed = connection.Command("SET LOCAL synchronous_commit = off"))
        {
            await relaxed.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var beat = connection.Command("""
            INSERT INTO nodes (node_id, epoch, heartbeat_at) VALUES ($1, 0, now())
            ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = now()
            """, node))
        {
            await beat.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlySet<string>> LiveNodesAsync(TimeSpan deadAfter, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("SELECT node_id FROM nodes WHERE heartbeat_at > now() - $1", deadAfter);
        return (await command.ReadAllAsync(reader => reader.GetString(0), cancellationToken)).ToHashSet(StringComparer.Ordinal);
    }

    public async Task ClaimAsync(SessionClaim claim, CancellationToken cancellationToken = default) =>
        await dataSource.ExecuteAsync("""
            INSERT INTO sessions (user_name, node_id, node_epoch, token_hash) VALUES ($1, $2, 0, $3)
            ON CONFLICT (user_name) DO UPDATE SET node_id = excluded.node_id, token_hash = excluded.token_hash
            """, cancellationToken, claim.User, claim.Node, claim.TokenHash);

    public async Task<SessionClaim?> FindClaimAsync(string user, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("SELECT user_name, node_id, token_hash FROM sessions WHERE user_name = $1", user);
        return (await command.ReadAllAsync(Read, cancellationToken)).SingleOrDefault();
    }

    public async Task ReleaseClaimAsync(string user, string node, CancellationToken cancellationToken = default) =>
        await dataSource.ExecuteAsync("DELETE FROM sessions WHERE user_name = $1 AND node_id = $2", cancellationToken, user, node);

    public async Task<IReadOnlyList<SessionClaim>> LoadClaimsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("SELECT user_name, node_id, token_hash FROM sessions");
        return await command.ReadAllAsync(Read, cancellationToken);
    }

    public async Task<long> NextGuestNumberAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("SELECT nextval('guest_numbers')");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static SessionClaim Read(NpgsqlDataReader reader) => new(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2));
}
