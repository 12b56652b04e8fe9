using Messenger.Server.Auth;
using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary>
/// <see cref="ILockoutStore"/> on the <c>lockouts</c> table, plus the cluster's exact count: <see cref="ApplyAsync"/>
/// locks the user's row for one transaction, so concurrent guesses on every node are applied one after another.
/// </summary>
internal sealed class PostgresLockouts(NpgsqlDataSource dataSource) : ILockoutStore
{
    public ValueTask SaveLockoutAsync(LockoutRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record is { Failures: 0, LockedUntil: null })
        {
            return dataSource.ExecuteAsync("DELETE FROM lockouts WHERE user_name = $1", cancellationToken, record.User);
        }
        return dataSource.ExecuteAsync("""
            INSERT INTO lockouts (user_name, failures, locked_until_ms) VALUES ($1, $2, $3)
            ON CONFLICT (user_name) DO UPDATE SET failures = excluded.failures, locked_until_ms = excluded.locked_until_ms
            """, cancellationToken, record.User, record.Failures, record.LockedUntil?.ToUnixTimeMilliseconds());
    }

    public async ValueTask<IReadOnlyList<LockoutRecord>> LoadLockoutsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("SELECT user_name, failures, locked_until_ms FROM lockouts");
        return await command.ReadAllAsync(Read, cancellationToken);
    }

    public async ValueTask<LockoutRecord?> LoadLockoutAsync(string user, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("SELECT user_name, failures, locked_until_ms FROM lockouts WHERE user_name = $1", user);
        return (await command.ReadAllAsync(Read, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Applies <see cref="LockoutRule"/> to the user's row under a row lock and commits the result.</summary>
    public async ValueTask<LoginOutcome> ApplyAsync(string user, bool passwordCorrect, DateTimeOffset now, TimeSpan blockDuration,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The row must exist to be locked; an empty one is removed again below when nothing is left to count.
        await using (var ensure = connection.Command("INSERT INTO lockouts (user_name, failures) VALUES ($1, 0) ON CONFLICT DO NOTHING", user))
        {
            await ensure.ExecuteNonQueryAsync(cancellationToken);
        }
        LockoutRecord? current;
        await using (var select = connection.Command("SELECT user_name, failures, locked_until_ms FROM lockouts WHERE user_name = $1 FOR UPDATE", user))
        {
            current = (await select.ReadAllAsync(Read, cancellationToken)).Single();
        }
        if (current is { Failures: 0, LockedUntil: null })
        {
            current = null;
        }
        var (outcome, changed) = LockoutRule.Apply(user, current, passwordCorrect, now, blockDuration);
        var final = changed ?? current;
        await using (var write = final is null or { Failures: 0, LockedUntil: null }
            ? connection.Command("DELETE FROM lockouts WHERE user_name = $1", user)
            : connection.Command("UPDATE lockouts SET failures = $2, locked_until_ms = $3 WHERE user_name = $1",
                user, final.Failures, final.LockedUntil?.ToUnixTimeMilliseconds()))
        {
            await write.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return outcome;
    }

    private static LockoutRecord Read(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)));
}
