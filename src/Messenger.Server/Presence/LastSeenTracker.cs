using System.Collections.Concurrent;

namespace Messenger.Server.Presence;

/// <summary>When each user last logged out, for whoelsesince; mirrored from the store so it survives restarts.</summary>
public sealed class LastSeenTracker(IReadOnlyDictionary<string, DateTimeOffset> persisted)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> lastLogout = new(persisted, StringComparer.Ordinal);

    public void RecordLogout(string user, DateTimeOffset at) => lastLogout[user] = at;

    /// <summary>Users who logged out at or after <paramref name="since"/>.</summary>
    public IEnumerable<string> LoggedOutSince(DateTimeOffset since) =>
        lastLogout.Where(pair => pair.Value >= since).Select(pair => pair.Key);
}
