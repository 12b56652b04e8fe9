using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;
using Messenger.Server.Auth;
using Messenger.Server.Cluster;
using Messenger.Server.Guests;
using Messenger.Server.Hosting;
using Messenger.Server.Presence;
using Messenger.Server.Private;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;
using Messenger.Server.Swarm;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Messaging;

/// <summary>
/// How sessions end: logout, a dropped link (detached, kept for the resume grace period), the end for good (what was
/// in flight stored, others told, the logout recorded), and the sweep that applies the idle timeout and the grace.
/// </summary>
public sealed class SessionLifecycle(ServerOptions options, TimeProvider time, IServerStore store, SessionRegistry sessions, LastSeenTracker lastSeen,
    PresenceAnnouncer presence, SwarmBroker swarm, PrivateSessionBroker privates, GuestLogin guests, PasswordCheck passwords, LogThrottle mailboxFullLog,
    MessageRouter router, OfflineMailbox mailbox, ILogger logger, Func<Session, Task> leaveRoomsOfGuest) : IRequestRoutes
{
    /// <summary>Cluster mode: the claims a session's end releases (set once at start); null on a single node.</summary>
    public ClusterSessions? Cluster { get; set; }

    /// <summary>A ping keeps the link alive (the client's keep-alive) but is not the user doing something; an
    /// activity report (the user typing, a download running) is.</summary>
    public void Map(FrameDispatcher dispatcher)
    {
        dispatcher.On(FrameType.Ping, _ => ValueTask.FromResult(Reply.Ok("pong")), activity: false);
        dispatcher.On(FrameType.Activity, _ => ValueTask.FromResult(Reply.Ok("noted")));
    }

    public async Task LogoutAsync(Session session, IClientLink link, uint requestId)
    {
        await EndSessionAsync(session, Reasons.LoggedOut);
        link.TrySend(ServerFrames.Ok(requestId, "Goodbye!"));
        link.Close(Reasons.LoggedOut);
    }

    /// <summary>The link dropped without a logout: keep the session for the resume grace period, store what was in flight.</summary>
    public Task ConnectionLostAsync(Session session, IClientLink link) => DetachAsync(session, link);

    public async Task DetachAsync(Session session, IClientLink link)
    {
        Task storing;
        lock (session.Gate)
        {
            if (!ReferenceEquals(session.Link, link))
            {
                return; // Detached already (when the link began to close), or resumed on another link.
            }
            storing = router.DetachLocked(session);
        }
        await storing;
    }

    /// <summary>
    /// Another node takes this user's session over (a resume there, or a password login there while detached here):
    /// it ends here without a logout anyone could see. False when it is attached and this was a password login.
    /// </summary>
    public async Task<bool> HandOverAsync(TakeoverItem takeover)
    {
        if (sessions.Find(takeover.User) is not { } session)
        {
            return true;
        }
        lock (session.Gate)
        {
            if (!takeover.Resume && !session.Ended && session.Link is not null)
            {
                return false;
            }
        }
        await EndSessionAsync(session, Reasons.Replaced, handedOver: true);
        return true;
    }

    /// <summary>
    /// Cluster mode, this node fenced (its lease ran out): every client link is closed by <paramref name="turnAway"/>
    /// (with a reason the client shows before it reconnects). Each session waits detached for its client, as after a
    /// lost connection (what was unacknowledged is stored), until the node has rejoined and settled it with the cluster.
    /// </summary>
    public async Task DropLinksAsync(Action<IClientLink> turnAway)
    {
        foreach (var session in sessions.All)
        {
            IClientLink? link;
            lock (session.Gate)
            {
                link = session.Link;
            }
            if (link is not null)
            {
                await DetachAsync(session, link);
                turnAway(link);
            }
        }
    }

    /// <summary>Cluster mode: the cluster settled this session elsewhere while this node was away; it ends here unannounced.</summary>
    public Task LetGoAsync(Session session) => EndSessionAsync(session, Reasons.Fenced, handedOver: true);

    /// <summary>
    /// Ends a session for good: stores what was in flight, tells others, records the logout. Handed over (cluster): the
    /// session lives on on another node, so its link is closed and nobody is told.
    /// </summary>
    public async Task EndSessionAsync(Session session, string reason, string? notice = null, bool handedOver = false)
    {
        IClientLink? link;
        Task storing;
        lock (session.Gate)
        {
            if (session.Ended)
            {
                return;
            }
            link = session.Link;
            var unacknowledged = session.End();
            var parked = session.Backlog.TakeAllParked();
            storing = session.EnqueueStore(() => mailbox.StoreUnacknowledgedAsync(unacknowledged, parked), () => Task.CompletedTask);
        }
        if (notice is not null && link is not null)
        {
            link.TrySend(ServerFrames.SessionEnded(reason, notice));
            link.Close(reason);
        }
        else if (handedOver)
        {
            link?.Close(reason);
        }
        sessions.Remove(session);
        swarm.UserLeft(session.User);
        privates.UserLeft(session.User, session.IsGuest);
        await storing;
        if (handedOver)
        {
            logger.LogInformation("{User}'s session moved to another node", session.User);
            return;
        }
        var now = time.GetUtcNow();
        if (session.IsGuest)
        {
            guests.Left(session); // No login history is kept for a guest.
            await leaveRoomsOfGuest(session); // Nor room memberships: its name may be given to another guest later.
        }
        else
        {
            await store.RecordLogoutAsync(session.User, now);
            if (!session.Invisible)
            {
                lastSeen.RecordLogout(session.User, now); // An invisible user is not in others' whoelsesince.
            }
        }
        if (!session.Invisible)
        {
            presence.Publish(session.User, PresenceKind.LoggedOut); // An invisible user leaves without a logout line.
        }
        if (Cluster is { } cluster)
        {
            await cluster.EndedAsync(session.User, now, quiet: session.Invisible);
        }
        logger.LogInformation("{User} logged out ({Reason})", session.User, reason);
    }

    /// <summary>One sweep of the idle timeout and the resume grace period; called by the server's single timer.</summary>
    public async Task SweepAsync()
    {
        passwords.Prune();
        mailboxFullLog.Flush((recipient, count) =>
            logger.LogWarning("{Recipient}'s mailbox is full: {Count} more copies were dropped in the last minute", recipient, count));
        var now = time.GetUtcNow();
        foreach (var session in sessions.All)
        {
            DateTimeOffset lastActivity;
            DateTimeOffset? detachedAt;
            lock (session.Gate)
            {
                lastActivity = session.LastActivity;
                detachedAt = session.DetachedAt;
            }
            if (detachedAt is { } since && now - since >= options.ResumeGracePeriod)
            {
                await EndSessionAsync(session, Reasons.LoggedOut);
            }
            else if (now - lastActivity >= options.IdleTimeout)
            {
                await EndSessionAsync(session, Reasons.Timeout,
                    $"You have been logged out after {options.IdleTimeout.TotalSeconds:0} second{(options.IdleTimeout.TotalSeconds == 1 ? "" : "s")} of inactivity.");
            }
        }
    }
}
