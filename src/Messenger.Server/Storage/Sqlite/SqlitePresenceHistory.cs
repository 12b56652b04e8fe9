using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary><see cref="IPresenceHistory"/> on the <c>presence</c> table (one row per user).</summary>
internal sealed class SqlitePresenceHistory : IPresenceHistory
{
    private readonly SqliteDatabase database;
    private readonly SqliteCommand recordLogin;
    private readonly SqliteCommand recordLogout;
    private readonly SqliteCommand closeOpenSessions;
    private readonly SqliteCommand loadLastLogouts;

    public SqlitePresenceHistory(SqliteDatabase database)
    {
        this.database = database;
        recordLogin = database.Prepare("""
            INSERT INTO presence (user, online_since_ms) VALUES ($user, $at)
            ON CONFLICT (user) DO UPDATE SET online_since_ms = excluded.online_since_ms;
            """, "$user", "$at");
        recordLogout = database.Prepare("""
            INSERT INTO presence (user, online_since_ms, last_logout_ms) VALUES ($user, NULL, $at)
            ON CONFLICT (user) DO UPDATE SET online_since_ms = NULL, last_logout_ms = excluded.last_logout_ms;
            """, "$user", "$at");
        closeOpenSessions = database.Prepare(
            "UPDATE presence SET online_since_ms = NULL, last_logout_ms = $at WHERE online_since_ms IS NOT NULL;", "$at");
        loadLastLogouts = database.Prepare("SELECT user, last_logout_ms FROM presence WHERE last_logout_ms IS NOT NULL;");
    }

    public ValueTask RecordLoginAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Record(recordLogin, user, at, cancellationToken);

    public ValueTask RecordLogoutAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        Record(recordLogout, user, at, cancellationToken);

    private ValueTask Record(SqliteCommand command, string user, DateTimeOffset at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        return database.Write(command, [("$user", user), ("$at", at.ToUnixTimeMilliseconds())], cancellationToken);
    }

    public ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LoadLastLogoutsAsync(DateTimeOffset closeOpenSessionsAt, CancellationToken cancellationToken = default) =>
        database.RunOnWriter(() => LoadLastLogouts(closeOpenSessionsAt), cancellationToken);

    private IReadOnlyDictionary<string, DateTimeOffset> LoadLastLogouts(DateTimeOffset closeOpenSessionsAt)
    {
        // Sessions the last run never closed (it was killed) end now, so nobody looks online forever.
        closeOpenSessions.Bind(("$at", closeOpenSessionsAt.ToUnixTimeMilliseconds()));
        closeOpenSessions.ExecuteNonQuery();
        // One row per user (the primary key), so no name comes twice.
        return loadLastLogouts
            .ReadAll(reader => (User: reader.GetString(0), At: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1))))
            .ToDictionary(row => row.User, row => row.At, StringComparer.Ordinal);
    }
}
