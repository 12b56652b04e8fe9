using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary><see cref="ILockoutStore"/> on the <c>lockouts</c> table.</summary>
internal sealed class SqliteLockouts : ILockoutStore
{
    private readonly SqliteDatabase database;
    private readonly SqliteCommand upsert;
    private readonly SqliteCommand delete;
    private readonly SqliteCommand load;

    public SqliteLockouts(SqliteDatabase database)
    {
        this.database = database;
        upsert = database.Prepare("""
            INSERT INTO lockouts (user, failures, locked_until_ms) VALUES ($user, $failures, $until)
            ON CONFLICT (user) DO UPDATE SET failures = excluded.failures, locked_until_ms = excluded.locked_until_ms;
            """, "$user", "$failures", "$until");
        delete = database.Prepare("DELETE FROM lockouts WHERE user = $user;", "$user");
        load = database.Prepare("SELECT user, failures, locked_until_ms FROM lockouts ORDER BY user;");
    }

    public ValueTask SaveLockoutAsync(LockoutRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.Failures == 0 && record.LockedUntil is null
            ? database.Write(delete, [("$user", record.User)], cancellationToken)
            : database.Write(upsert,
                [("$user", record.User), ("$failures", record.Failures), ("$until", record.LockedUntil?.ToUnixTimeMilliseconds())],
                cancellationToken);
    }

    public ValueTask<IReadOnlyList<LockoutRecord>> LoadLockoutsAsync(CancellationToken cancellationToken = default) =>
        database.RunOnWriter<IReadOnlyList<LockoutRecord>>(() => load.ReadAll(ToRecord), cancellationToken);

    private static LockoutRecord ToRecord(SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
}
