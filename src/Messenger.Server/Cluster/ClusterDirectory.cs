using System.Collections.Concurrent;

namespace Messenger.Server.Cluster;

/// <summary>
/// Every node's mirror of where sessions are (user → node) and which nodes are alive, fed by session events and the
/// heartbeat sweep, so routing a message reads memory, never the database. Lock-free reads.
/// </summary>
public sealed class ClusterDirectory(string self)
{
    private readonly ConcurrentDictionary<string, string> owners = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> deadSince = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> invisible = new(StringComparer.Ordinal);
    private volatile IReadOnlySet<string> live = new HashSet<string>(StringComparer.Ordinal) { self };

    public string Self => self;

    /// <summary>The live node other than this one that holds <paramref name="user"/>'s session, if any.</summary>
    public string? RemoteOwner(string user) =>
        owners.TryGetValue(user, out var node) && node != self && live.Contains(node) ? node : null;

    public string? Owner(string user) => owners.GetValueOrDefault(user);

    public void Set(string user, string node) => owners[user] = node;

    /// <summary>Forgets <paramref name="user"/> if <paramref name="node"/> still holds it (a newer claim elsewhere stays).</summary>
    public bool Remove(string user, string node)
    {
        if (!owners.TryRemove(new KeyValuePair<string, string>(user, node)))
        {
            return false;
        }
        invisible.TryRemove(user, out _); // Invisibility lasts for the session.
        return true;
    }

    /// <summary>A user of another node went invisible (or visible again): left out of this node's whoelse.</summary>
    public void SetInvisible(string user, bool on)
    {
        if (on)
        {
            invisible[user] = true;
        }
        else
        {
            invisible.TryRemove(user, out _);
        }
    }

    /// <summary>True when <paramref name="user"/> is online on another live node and not invisible.</summary>
    public bool IsVisibleElsewhere(string user) => RemoteOwner(user) is not null && !invisible.ContainsKey(user);

    /// <summary>Users online on other nodes who may be shown: not invisible.</summary>
    public IEnumerable<string> VisibleRemoteUsers => RemoteUsers.Where(user => !invisible.ContainsKey(user));

    /// <summary>Users whose sessions are on other nodes (alive, or dead and within the resume grace).</summary>
    public IEnumerable<string> RemoteUsers => owners.Where(entry => entry.Value != self).Select(entry => entry.Key);

    /// <summary>Users whose sessions are on other live nodes, with the node.</summary>
    public IEnumerable<(string User, string Node)> UsersOnLiveNodes =>
        owners.Where(entry => entry.Value != self && live.Contains(entry.Value)).Select(entry => (entry.Key, entry.Value));

    public IEnumerable<string> UsersOn(string node) => owners.Where(entry => entry.Value == node).Select(entry => entry.Key);

    public bool IsLive(string node) => live.Contains(node);

    public IReadOnlySet<string> LiveNodes => live;

    /// <summary>Takes the newest live set; returns the nodes that died since the last one (they are remembered with <paramref name="now"/>).</summary>
    public IReadOnlyList<string> UpdateLive(IReadOnlySet<string> nodes, DateTimeOffset now)
    {
        var previous = live;
        var withSelf = new HashSet<string>(nodes, StringComparer.Ordinal) { self };
        live = withSelf;
        foreach (var node in withSelf)
        {
            deadSince.TryRemove(node, out _);
        }
        var died = new List<string>();
        foreach (var node in previous.Concat(owners.Values).Distinct(StringComparer.Ordinal))
        {
            if (!withSelf.Contains(node) && deadSince.TryAdd(node, now))
            {
                died.Add(node);
            }
        }
        return died;
    }

    /// <summary>Dead nodes with the time they were found dead.</summary>
    public IEnumerable<KeyValuePair<string, DateTimeOffset>> DeadNodes => deadSince;

    /// <summary>Reloads the mirror from the record's claims (at start, and after the bus lost its data).</summary>
    public void Load(IEnumerable<SessionClaim> claims)
    {
        owners.Clear();
        foreach (var claim in claims)
        {
            owners[claim.User] = claim.Node;
        }
    }
}
