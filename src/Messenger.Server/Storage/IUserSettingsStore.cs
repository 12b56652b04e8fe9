namespace Messenger.Server.Storage;

/// <summary>
/// A user's own settings that must outlast a restart: today whether others must ask first for a private session
/// (`privatemode ask`). Only users who ask first have a row; open is the default.
/// </summary>
public interface IUserSettingsStore
{
    /// <summary>Records whether <paramref name="user"/> must be asked first; durable when the task completes.</summary>
    ValueTask SetAsksFirstAsync(string user, bool asksFirst, CancellationToken cancellationToken = default);

    /// <summary>Every user who must be asked first.</summary>
    ValueTask<IReadOnlyList<string>> LoadUsersWhoAskFirstAsync(CancellationToken cancellationToken = default);
}
