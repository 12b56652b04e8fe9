namespace Messenger.Server.Storage;

/// <summary>Login history: who is online since when, and each user's last logout (for whoelsesince).</summary>
public interface IPresenceHistory
{
    /// <summary>Remembers that <paramref name="user"/> logged out (or was last seen) at <paramref name="at"/>.</summary>
    ValueTask RecordLogoutAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Remembers that <paramref name="user"/> is online from <paramref name="at"/> (its session is open).</summary>
    ValueTask RecordLoginAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every user's last logout time. Sessions still open in the store (the server died without logging them out)
    /// are closed at <paramref name="closeOpenSessionsAt"/> first, so a crash does not make users look online forever.
    /// </summary>
    ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LoadLastLogoutsAsync(DateTimeOffset closeOpenSessionsAt, CancellationToken cancellationToken = default);
}
