using Messenger.Server.Dispatch;
using Messenger.Protocol.Contracts;
using Messenger.Server.Auth;
using Messenger.Server.Cluster;
using Messenger.Server.Messaging;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Admin;

/// <summary>
/// What the operator's console and dashboard can do to users: list them, kick, notice, a message from "server", the
/// shutdown. In cluster mode (<see cref="Cluster"/>) the list, the kick and the notice reach every live node's users.
/// </summary>
public sealed class OperatorCommands(TimeProvider time, ICredentialStore credentials, SessionRegistry sessions, PresenceAnnouncer presence,
    SessionLifecycle lifecycle, MessageRouter router, SendHandler sending)
{
    /// <summary>Cluster mode: this node's part of the operator's commands across nodes (null on a single node).</summary>
    public ClusterOperator? Cluster { get; set; }

    /// <summary>Everyone online, by name: this node's sessions, then (cluster mode) other live nodes' with their node.</summary>
    public IReadOnlyList<OnlineUser> OnlineUsers() =>
        sessions.All.Select(s => new OnlineUser(s.User, s.IsGuest, s.Link is null))
            .Concat(Cluster?.UsersElsewhere ?? [])
            .OrderBy(user => user.Name, StringComparer.Ordinal).ToList();

    /// <summary>Ends <paramref name="user"/>'s session, on this node or (cluster mode) on the node that holds it.</summary>
    public async Task<KickResult> KickAsync(string user)
    {
        if (await KickHereAsync(user))
        {
            return KickResult.Disconnected;
        }
        return Cluster is null ? KickResult.NotOnline : await Cluster.KickElsewhereAsync(user);
    }

    /// <summary>The operator's answer to a kick, the same on the console and the dashboard.</summary>
    public static string Describe(KickResult result, string user) => result switch
    {
        KickResult.Disconnected => $"{user} was disconnected.",
        KickResult.NoAnswer => $"The node holding {user}'s session did not answer; {user} may still be online.",
        _ => $"{user} is not online.",
    };

    /// <summary>Ends a session of this node; false when it holds none for <paramref name="user"/>.</summary>
    public async Task<bool> KickHereAsync(string user)
    {
        if (sessions.Find(user) is not { } session)
        {
            return false;
        }
        await lifecycle.EndSessionAsync(session, Reasons.Kicked, "You have been disconnected by the server operator.");
        return true;
    }

    public async Task ShutdownAsync()
    {
        foreach (var session in sessions.All.ToList())
        {
            await lifecycle.EndSessionAsync(session, Reasons.Shutdown, "The server is shutting down.");
        }
        presence.Dispose();
    }

    /// <summary>Text from the operator to every online user (every node's, in cluster mode); returns how many.</summary>
    public int NoticeAll(string text) => NoticeHere(text) + (Cluster?.NoticeElsewhere(text) ?? 0);

    /// <summary>Text from the operator to this node's users.</summary>
    public int NoticeHere(string text)
    {
        var frame = ServerFrames.Notice(text);
        var sent = 0;
        foreach (var session in sessions.All)
        {
            if (session.Link?.TrySend(frame) == true)
            {
                sent++;
            }
        }
        return sent;
    }

    /// <summary>A message from the server operator to one user: stored if the user is offline, like any message.</summary>
    public async Task<bool> SendAsServerAsync(string user, string text)
    {
        if (!credentials.Contains(user))
        {
            return false;
        }
        var message = new StoredMessage(0, "server", user, sending.NextServerMessageId(), text, time.GetUtcNow());
        await router.RouteAsync(message, isBroadcast: false, waiter: null);
        return true;
    }
}
