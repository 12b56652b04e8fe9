using Npgsql;

namespace Messenger.Server.Storage.Postgres;

/// <summary><see cref="IUserSettingsStore"/> on the <c>asks_first</c> table (one row per user in `privatemode ask`).</summary>
internal sealed class PostgresUserSettings(NpgsqlDataSource dataSource) : IUserSettingsStore
{
    public ValueTask SetAsksFirstAsync(string user, bool asksFirst, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return asksFirst
            ? dataSource.ExecuteAsync("INSERT INTO asks_first (user_name) VALUES ($1) ON CONFLICT DO NOTHING", cancellationToken, user)
            : dataSource.ExecuteAsync("DELETE FROM asks_first WHERE user_name = $1", cancellationToken, user);
    }

    public async ValueTask<IReadOnlyList<string>> LoadUsersWhoAskFirstAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.Command("SELECT user_name FROM asks_first ORDER BY user_name");
        return await command.ReadAllAsync(reader => reader.GetString(0), cancellationToken);
    }
}
