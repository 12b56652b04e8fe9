using Messenger.Protocol.Contracts;
using Messenger.Server.Presence;
using Messenger.Server.Storage;

namespace Messenger.Server.Cluster;

/// <summary>
/// Other nodes' sessions as this node's users see them: logins, moves and logouts from the bus applied to the directory
/// and announced here, and a dead node's users who did not resume elsewhere within the grace logged out. A logout is the
/// same either way (<see cref="Left"/>); nothing is kept of a guest's.
/// </summary>
public sealed class ClusterPresence(string self, ClusterDirectory directory, IClusterRecord record, PresenceAnnouncer presence, LastSeenTracker lastSeen,
    IPresenceHistory history)
{
    /// <summary>Whether a name is a guest's (set once at start): nothing is kept of a guest's logout (last seen, login history).</summary>
    public Func<string, bool> IsGuest { get; set; } = _ => false;

    /// <summary>A user of another node logged out for good (its pending private-session requests end here too).</summary>
    public Action<string> LeftElsewhere { get; set; } = _ => { };

    public void Apply(SessionEvent change)
    {
        switch (change.Change)
        {
            case SessionChange.LoggedIn:
                directory.Set(change.User, change.Node);
                presence.Publish(change.User, PresenceKind.LoggedIn);
                break;
            case SessionChange.Moved:
                directory.Set(change.User, change.Node);
                directory.SetInvisible(change.User, on: false); // The session starts anew there, visible.
                break;
            case SessionChange.LoggedOut:
                if (directory.Remove(change.User, change.Node))
                {
                    Left(change.User, DateTimeOffset.FromUnixTimeMilliseconds(change.AtMs), change.Quiet);
                }
                break;
        }
    }

    /// <summary>
    /// Users of a dead node who did not resume elsewhere: every node announces their logout to its own users; the first
    /// live node (by name) also closes their claims and login history, so it is done once.
    /// </summary>
    public async Task LogOutOrphansAsync(string node, DateTimeOffset diedAt)
    {
        var bookkeeper = directory.LiveNodes.Min(StringComparer.Ordinal) == self;
        foreach (var user in directory.UsersOn(node).ToList())
        {
            if (!directory.Remove(user, node))
            {
                continue;
            }
            Left(user, diedAt, quiet: false);
            if (bookkeeper)
            {
                await record.ReleaseClaimAsync(user, node);
                if (!IsGuest(user))
                {
                    await history.RecordLogoutAsync(user, diedAt);
                }
            }
        }
    }

    /// <summary>A user of another node is gone: told here unless it was invisible (quiet), remembered unless a guest.</summary>
    private void Left(string user, DateTimeOffset at, bool quiet)
    {
        LeftElsewhere(user);
        if (quiet)
        {
            return;
        }
        if (!IsGuest(user))
        {
            lastSeen.RecordLogout(user, at);
        }
        presence.Publish(user, PresenceKind.LoggedOut);
    }
}
