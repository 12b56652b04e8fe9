using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary>
/// <see cref="IPresenceHistory"/> on the <c>presence</c> table, one row per user. Each open session records the node
/// holding it, so a node restarting after a crash closes only its own; the sessions of a node that never comes back are
/// closed by the node that finds it dead (<see cref="CloseSessionsOfNodeAsync"/>).
/// </summary>
internal sealed class PostgresPresenceHistory(NpgsqlDataSource dataSource, string nodeId) : IPresenceHistory
{
    public ValueTask RecordLoginAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return dataSource.ExecuteAsync("""
            INSERT INTO presence (user_name, online_since_ms, node_id) VALUES ($1, $2, $3)
            ON CONFLICT (user_name) DO UPDATE SET online_since_ms = excluded.online_since_ms, node_id = excluded.node_id
            """, cancellationToken, user, at.ToUnixTimeMilliseconds(), nodeId);
    }

    public ValueTask RecordLogoutAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return dataSource.ExecuteAsync("""
            INSERT INTO presence (user_name, last_logout_ms) VALUES ($1, $2)
            ON CONFLICT (user_name) DO UPDATE SET online_since_ms = NULL, node_id = NULL, last_logout_ms = excluded.last_logout_ms
            """, cancellationToken, user, at.ToUnixTimeMilliseconds());
    }

    public async ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LoadLastLogoutsAsync(DateTimeOffset closeOpenSessionsAt, CancellationToken cancellationToken = default)
    {
        await CloseSessionsOfNodeAsync(nodeId, closeOpenSessionsAt, cancellationToken);
        await using var command = dataSource.Command("SELECT user_name, last_logout_ms FROM presence WHERE last_logout_ms IS NOT NULL");
        var rows = await command.ReadAllAsync(reader => (User: reader.GetString(0), At: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))), cancellationToken);
        return rows.ToDictionary(row => row.User, row => row.At, StringComparer.Ordinal);
    }

    /// <summary>Ends the sessions <paramref name="node"/> left open (it crashed) at <paramref name="at"/>; returns their users.</summary>
    public async ValueTask<IReadOnlyList<string>> CloseSessionsOfNodeAsync(string node, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("""
            UPDATE presence SET online_since_ms = NULL, node_id = NULL, last_logout_ms = $2
            WHERE online_since_ms IS NOT NULL AND (node_id = $1 OR node_id IS NULL) RETURNING user_name
            """, node, at.ToUnixTimeMilliseconds());
        return await command.ReadAllAsync(reader => reader.GetString(0), cancellationToken);
    }
}
