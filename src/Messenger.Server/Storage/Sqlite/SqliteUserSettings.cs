using Microsoft.Data.Sqlite;

namespace Messenger.Server.Storage.Sqlite;

/// <summary><see cref="IUserSettingsStore"/> on the <c>asks_first</c> table (one row per user in `privatemode ask`).</summary>
internal sealed class SqliteUserSettings : IUserSettingsStore
{
    private readonly SqliteDatabase database;
    private readonly SqliteCommand add;
    private readonly SqliteCommand remove;
    private readonly SqliteCommand load;

    public SqliteUserSettings(SqliteDatabase database)
    {
        this.database = database;
        add = database.Prepare("INSERT OR IGNORE INTO asks_first (user) VALUES ($user);", "$user");
        remove = database.Prepare("DELETE FROM asks_first WHERE user = $user;", "$user");
        load = database.Prepare("SELECT user FROM asks_first ORDER BY user;");
    }

    public ValueTask SetAsksFirstAsync(string user, bool asksFirst, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return database.Write(asksFirst ? add : remove, [("$user", user)], cancellationToken);
    }

    public ValueTask<IReadOnlyList<string>> LoadUsersWhoAskFirstAsync(CancellationToken cancellationToken = default) =>
        database.RunOnWriter<IReadOnlyList<string>>(() => load.ReadAll(reader => reader.GetString(0)), cancellationToken);
}
