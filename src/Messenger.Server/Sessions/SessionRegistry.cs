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

    /// <summary>
    /// Every session, enumerated live: lock-free and without a copy (ConcurrentDictionary.Values takes every lock
    /// and copies all sessions, which a broadcast or a presence digest to 10,000 users paid each time). Sessions
    /// added or removed meanwhile may or may not be seen, which is what a broadcast racing a login means anyway.
    /// </summary>
    public IEnumerable<Session> All
    {
        get
        {
            foreach (var entry in sessions)
            {
                yield return entry.Value;
            }
        }
    }
}
