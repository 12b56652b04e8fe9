using System.Collections.Concurrent;
using Messenger.Protocol.Contracts;

namespace Messenger.Server.Private;

/// <summary>
/// Each user's `privatemode` (open unless set to ask), kept by the server so that the choice holds however the
/// client reconnects: the in-memory mirror of the store's <c>asks_first</c>, loaded at start and written through.
/// </summary>
public sealed class PrivateModes
{
    private readonly ConcurrentDictionary<string, PrivateMode> modes = new(StringComparer.Ordinal);

    public PrivateMode Get(string user) => modes.GetValueOrDefault(user, PrivateMode.Open);

    public void Set(string user, PrivateMode mode)
    {
        if (mode == PrivateMode.Open)
        {
            modes.TryRemove(user, out _); // The default needs no entry.
        }
        else
        {
            modes[user] = mode;
        }
    }

    /// <summary>At start: the users the store says ask first.</summary>
    public void Load(IEnumerable<string> usersWhoAskFirst)
    {
        foreach (var user in usersWhoAskFirst)
        {
            modes[user] = PrivateMode.Ask;
        }
    }

    /// <summary>A guest's choice goes with the guest.</summary>
    public void Forget(string user) => modes.TryRemove(user, out _);
}
