using Messenger.Server.Dispatch;
using System.Data.Common;
using System.Security.Cryptography;
using Messenger.Protocol;
using Messenger.Protocol.Contracts;
using Messenger.Security;
using Messenger.Server.Cluster;
using Messenger.Server.Guests;
using Messenger.Server.Hosting;
using Messenger.Server.Messaging;
using Messenger.Server.Presence;
using Messenger.Server.Rooms;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Auth;

/// <summary>
/// Login and resume: the password (<see cref="PasswordCheck"/>), then a new session, the takeover of a detached one,
/// or a resume by token; the welcome; the stored backlog.
/// </summary>
/// <param name="ticketKey">The fingerprint of the key that signs tickets, told to clients at login (null: none).</param>
public sealed class LoginHandler(ServerOptions options, TimeProvider time, IServerStore store, SessionRegistry sessions, PresenceAnnouncer presence,
    PasswordCheck passwords, GuestLogin guests, SessionLifecycle lifecycle, MessageRouter router, RoomCatchUp rooms, string? ticketKey, ILogger logger)
{
    /// <summary>Cluster mode: session claims across nodes (set once at start); null on a single node.</summary>
    public ClusterSessions? Cluster { get; set; }

    /// <summary>Cluster mode: this node's lease; while it is fenced no login is taken (set once at start).</summary>
    public ClusterLease? Lease { get; set; }

    /// <summary>Handles a login or resume. Returns the session when the link is now logged in.</summary>
    public async Task<Session?> LoginAsync(IClientLink link, uint requestId, LoginRequest request)
    {
        if (!UserNames.IsValid(request.Username))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.BadRequest, "A user name is 1 to 32 letters, digits, '_', '-' or '.'.", Reasons.BadRequest));
            return null;
        }
        if (Lease is { Fenced: true } lease)
        {
            lease.TurnAway(link); // The cluster may hold this node dead; the client tries again.
            return null;
        }
        if (request.ResumeToken is { } token)
        {
            return await ResumeAsync(link, requestId, request.Username, token, request);
        }
        if (guests.IsGuestLogin(request))
        {
            return await GuestAsync(link, requestId, request);
        }
        var user = request.Username;
        var outcome = await passwords.CheckAsync(link, requestId, user, request.Password ?? "", request.Register);
        if (outcome is not (LoginOutcome.Accepted or LoginOutcome.Registered))
        {
            return null;
        }

        var existing = sessions.Find(user);
        if (existing is not null)
        {
            // A session whose client is gone (detached) may be taken over by a password login; a live one may not.
            lock (existing.Gate)
            {
                if (!existing.Ended && existing.Link is null)
                {
                    existing.Attach(link);
                    SetPeer(existing, link, request);
                    existing.LastActivity = time.GetUtcNow();
                }
                else
                {
                    existing = null;
                }
            }
            if (existing is null)
            {
                link.TrySend(ServerFrames.Response(requestId, StatusCode.Conflict,
                    $"{user} is already logged in elsewhere.", Reasons.AlreadyLoggedIn));
                return null;
            }
            await AcceptAsync(existing, link, requestId, resumed: true);
            return existing;
        }

        var claim = Cluster is null ? ClaimResult.Fresh : await Cluster.ClaimAsync(user, resumeToken: null);
        if (ClaimRefusal.Frame(claim, requestId, user) is { } refused)
        {
            link.TrySend(refused);
            return null;
        }
        if (await OpenAsync(link, requestId, request, NewSession(link, user, NewResumeToken()), moved: claim == ClaimResult.Moved) is not { } session)
        {
            return null;
        }
        await AcceptAsync(session, link, requestId, resumed: claim == ClaimResult.Moved, created: outcome == LoginOutcome.Registered);
        logger.LogInformation("{User} logged in from {Address}", user, link.RemoteAddress);
        return session;
    }

    /// <summary>A guest: a new name, no login history recorded (nothing is kept for a guest); in a cluster, claimed like any session.</summary>
    private async Task<Session?> GuestAsync(IClientLink link, uint requestId, LoginRequest request)
    {
        if (await guests.TryCreateAsync(link, requestId, NewResumeToken()) is not { } created
            || await OpenAsync(link, requestId, request, created, moved: false) is not { } session)
        {
            return null;
        }
        await AcceptAsync(session, link, requestId, resumed: false);
        logger.LogInformation("Guest {User} logged in from {Address}", session.User, link.RemoteAddress);
        return session;
    }

    /// <summary>
    /// A new session on this node: recorded (<see cref="RecordAsync"/>), then a fresh login is announced before the user
    /// hears "accepted" (by then everyone online has been told, or it is in the digest); a session moved from another
    /// node is not announced at all. Null when it could not open, and the link has been answered: a conflict, or
    /// `server_error` when the store failed (nothing changed for anyone; the connection stays, to try again).
    /// </summary>
    private async Task<Session?> OpenAsync(IClientLink link, uint requestId, LoginRequest request, Session session, bool moved)
    {
        var user = session.User;
        SetPeer(session, link, request);
        if (!sessions.TryAdd(session))
        {
            guests.Left(session);
            link.TrySend(ServerFrames.Response(requestId, StatusCode.Conflict, $"{user} is already logged in elsewhere.", Reasons.AlreadyLoggedIn));
            return null;
        }
        if (!await RecordAsync(session, moved))
        {
            sessions.Remove(session);
            guests.Left(session);
            link.TrySend(ServerFrames.Response(requestId, StatusCode.ServerError, "The server could not record your login; try again.", Reasons.ServerError));
            return null;
        }
        if (!moved)
        {
            presence.Publish(user, PresenceKind.LoggedIn);
        }
        return session;
    }

    /// <summary>A session for <paramref name="user"/> on this node: a guest's (limits per address) when the name is a guest's.</summary>
    private Session NewSession(IClientLink link, string user, string token) =>
        guests.Resumed(link, user, token)
        ?? new Session(user, token, link, time.GetUtcNow(), new TokenBucket(time, options.MaxMessagesPerSecond, guardedByCaller: true));

    /// <summary>
    /// The store's part of a login: its history (none for a guest), then (cluster) the claim, which also tells every node. False when the
    /// store failed (a cluster's PostgreSQL down); a login recorded before the claim failed is closed again if the store
    /// lets it (otherwise the next login of the user, or the node's restart, closes it).
    /// </summary>
    private async Task<bool> RecordAsync(Session session, bool moved)
    {
        var recorded = false;
        try
        {
            if (!session.IsGuest)
            {
                await store.RecordLoginAsync(session.User, session.LoggedInAt);
                recorded = true;
            }
            if (Cluster is { } cluster)
            {
                await cluster.CommitAsync(session, moved);
            }
            return true;
        }
        catch (DbException ex)
        {
            logger.LogError(ex, "Could not record the login of {User}; it was refused", session.User);
            if (recorded)
            {
                await CloseRecordedLoginAsync(session);
            }
            return false;
        }
    }

    private async Task CloseRecordedLoginAsync(Session session)
    {
        try
        {
            await store.RecordLogoutAsync(session.User, session.LoggedInAt);
        }
        catch (DbException ex)
        {
            logger.LogWarning("The refused login of {User} stays open in the login history until the next ({Message})", session.User, ex.Message);
        }
    }

    /// <summary>A resume on this node of a session another node held (the client moved, or that node died).</summary>
    private async Task<Session?> ResumeFromClusterAsync(IClientLink link, uint requestId, string user, string token, LoginRequest request, ClusterSessions cluster)
    {
        var claim = await cluster.ClaimAsync(user, token);
        if (ClaimRefusal.Frame(claim, requestId, user) is { } refused)
        {
            link.TrySend(refused);
            return null;
        }
        if (await OpenAsync(link, requestId, request, NewSession(link, user, token), moved: true) is not { } session)
        {
            return null;
        }
        await AcceptAsync(session, link, requestId, resumed: true);
        logger.LogInformation("{User} resumed from {Address}, moved from another node", user, link.RemoteAddress);
        return session;
    }

    private async Task<Session?> ResumeAsync(IClientLink link, uint requestId, string user, string token, LoginRequest request)
    {
        var session = sessions.Find(user);
        if (session is null && Cluster is { } cluster)
        {
            return await ResumeFromClusterAsync(link, requestId, user, token, request, cluster);
        }
        IClientLink? replaced = null;
        if (session is not null)
        {
            lock (session.Gate)
            {
                if (session.Ended || !CryptographicOperations.FixedTimeEquals(
                        System.Text.Encoding.UTF8.GetBytes(session.ResumeToken), System.Text.Encoding.UTF8.GetBytes(token)))
                {
                    session = null;
                }
                else
                {
                    replaced = session.Link;
                }
            }
        }
        if (session is null)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.Unauthorized, "That session has ended; log in again.", Reasons.BadResumeToken));
            return null;
        }
        if (replaced is not null)
        {
            // The old link is stale (the client would not resume otherwise): its unacknowledged messages go to the
            // store first, and are delivered again below, so nothing is lost in the swap.
            await lifecycle.DetachAsync(session, replaced);
            replaced.Close(Reasons.Replaced);
        }
        lock (session.Gate)
        {
            session.Attach(link);
            SetPeer(session, link, request);
        }
        await AcceptAsync(session, link, requestId, resumed: true);
        logger.LogInformation("{User} resumed from {Address}", user, link.RemoteAddress);
        return session;
    }

    private void SetPeer(Session session, IClientLink link, LoginRequest request)
    {
        session.PeerPort = request.PeerPort is > 0 and <= 65535 ? request.PeerPort : 0;
        session.UnderstandsRooms = request.Features?.Contains(ClientFeatures.Rooms) == true;
        session.UnderstandsCompact = options.CompactFrames && request.Features?.Contains(ClientFeatures.Compact) == true;
        session.PeerFingerprint = Fingerprints.TryNormalize(request.PeerFingerprint, out var fingerprint) ? fingerprint : null;
        (session.PeerHost, session.PeerHostRefused) = PeerAddressPolicy.Choose(request.PeerHost, link.RemoteAddress, options.AllowAdvertisedPeerHost);
    }

    private async Task AcceptAsync(Session session, IClientLink link, uint requestId, bool resumed, bool created = false)
    {
        var welcome = resumed ? $"Welcome back, {session.User}." : $"Welcome to MessengerSuite, {session.User}!";
        if (created)
        {
            welcome += " Your account is new: it was created just now.";
        }
        else if (session.IsGuest && !resumed)
        {
            welcome += " You are a guest: you can message users who are online; nothing is kept after you leave.";
        }
        if (session.PeerHostRefused is { } refused)
        {
            welcome += $" (Your advertised peer address '{refused}' is not used: {refused.Reason} Peers reach you at {link.RemoteAddress}.)";
        }
        string[]? features;
        lock (session.Gate)
        {
            if (ReferenceEquals(session.Link, link))
            {
                rooms.Restart(session); // From here on, room messages for this link are caught up or sent live, each once.
            }
            features = session.UnderstandsCompact ? [ClientFeatures.Compact] : null;
        }
        link.TrySend(ServerFrames.LoginAccepted(requestId, new LoginAccepted(session.User, session.ResumeToken, welcome, resumed,
            time.GetUtcNow().ToUnixTimeMilliseconds(), ticketKey, created, session.IsGuest, features)));
        await router.DeliverBacklogAsync(session);
        await rooms.CatchUpAsync(session);
    }

    private static string NewResumeToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));
}
