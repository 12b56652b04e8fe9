using System.Collections.Concurrent;

namespace Messenger.Server.Sessions;

/// <summary>
/// Who is logged in: user name to session. Reads are lock-free (ConcurrentDictionary); the decisions that must be
/// atomic across users (a login racing another login of the same name) use TryAdd/TryRemove on the dictionary.
/// </summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, Session> sessions = new(StringComparer.Ordinal);

    public int Count => sessions.Count;

    public Session? Find(string user) => sessions.GetValueOrDefault(user);

    public bool TryAdd(Session session) => sessions.TryAdd(session.User, session);

    /// <summary>Removes exactly this session (not a newer one of the same user).</summary>
    public bool Remove(Session session) => sessions.TryRemove(new KeyValuePair<string, Session>(session.User, session));

    public IEnumerable<Session> All => sessions.Values;
}
