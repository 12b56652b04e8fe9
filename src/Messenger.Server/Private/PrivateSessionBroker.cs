using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Security;
using Messenger.Server.Dispatch;
using Messenger.Server.Messaging;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;

using Messenger.Server.Storage;

namespace Messenger.Server.Private;

/// <summary>
/// <c>startprivate</c>: the server brokers a private session and never sees its texts. A target in `privatemode ask`
/// is asked first (<see cref="ConsentRequests"/>): the requester is answered "waiting" at once and hears the outcome
/// later as an event, so the wait never holds up its other commands.
/// </summary>
/// <param name="tickets">Signs tickets with the server's key; null when the server has none (then no private sessions).</param>
public sealed class PrivateSessionBroker : IRequestRoutes
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly SessionRegistry sessions;
    private readonly BlockList blocks;
    private readonly RequestRules rules;
    private readonly TicketSigner? tickets;
    private readonly ConsentRequests consent;
    private readonly IUserSettingsStore settings;

    /// <param name="settings">Where `privatemode` is kept, so that it outlasts a restart (and, clustered, every node reads it).</param>
    public PrivateSessionBroker(SessionRegistry sessions, BlockList blocks, RequestRules rules, TicketSigner? tickets, TimeProvider time,
        TimeSpan consentTimeout, int requestsPerMinute, IUserSettingsStore settings)
    {
        this.settings = settings;
        this.sessions = sessions;
        this.blocks = blocks;
        this.rules = rules;
        this.tickets = tickets;
        consent = new ConsentRequests(time, consentTimeout, requestsPerMinute, (requester, target) =>
        {
            Tell(requester.User, target, ConsentOutcome.NoAnswer);
            NoticeTarget(target, $"{requester.User}'s request for a private session ended: no answer within {consentTimeout.TotalSeconds:0} s.");
        });
    }

    public PrivateModes Modes { get; } = new();

    /// <summary>Requests waiting for an answer now.</summary>
    public int PendingRequests => consent.Count;

    /// <summary>Cluster mode: where users of other nodes are and how to reach their nodes; null on a single node.</summary>
    public IRemotePrivates? Remote { get; set; }

    public void Map(FrameDispatcher dispatcher)
    {
        dispatcher.On(FrameType.StartPrivate, Json.StartPrivateRequest, (context, request) => ValueTask.FromResult(Start(context, request.User)));
        dispatcher.On(FrameType.AnswerPrivate, Json.AnswerPrivateRequest, (context, request) => ValueTask.FromResult(Answer(context.Session, request)));
        dispatcher.On(FrameType.SetPrivateMode, Json.PrivateModeRequest, (context, request) => SetModeAsync(context.Session, request));
    }

    /// <summary>
    /// Brokers a private session: the peer's endpoint and key, and a ticket signed by the server naming both users
    /// and both keys, at once or once the target accepts. The text of private messages never passes through the server.
    /// A target on another node is offered by that node (<see cref="IRemotePrivates"/>), which answers later.
    /// </summary>
    public Reply Start(RequestContext context, string target)
    {
        var requester = context.Session;
        if (rules.CheckTarget(requester, target, "start a private session with") is { } refusal)
        {
            return refusal;
        }
        if (tickets is null)
        {
            return Reply.Refuse(StatusCode.Unavailable, "Private sessions are not available on this server.", Reasons.ServerError);
        }
        var asking = new PrivateRequester(requester.User, requester.PeerFingerprint);
        if (sessions.Find(target) is null && Remote?.NodeOf(target) is { } node)
        {
            Remote.Offer(context, node, asking, target);
            return Reply.Later;
        }
        return Offer(asking, target).ToReply(Json);
    }

    /// <summary>
    /// What this node, holding <paramref name="target"/>'s session, answers <paramref name="requester"/> (of this node or
    /// another): the exact block check, the target's endpoint and key, and its mode (ask: the consent request waits here).
    /// </summary>
    public PrivateOffer Offer(PrivateRequester requester, string target)
    {
        if (blocks.IsBlocked(target, requester.User))
        {
            return PrivateOffer.Refused(StatusCode.Forbidden,
                $"A private session with {target} could not be started as {target} has blocked you.", Reasons.BlockedByRecipient);
        }
        if ((sessions.Find(target) is { } peer ? PeerEndpointOf(peer) : null) is not { } endpoint)
        {
            return PrivateOffer.Refused(StatusCode.NotFound, $"{target} is offline.", Reasons.Offline);
        }
        if (endpoint.Port == 0 || endpoint.Fingerprint is null || requester.Fingerprint is null)
        {
            return PrivateOffer.Refused(StatusCode.Conflict,
                requester.Fingerprint is null ? "Your client does not accept private sessions." : $"{target}'s client does not accept private sessions.",
                Reasons.BadRequest);
        }
        return Modes.Get(target) == PrivateMode.Ask ? Ask(requester, endpoint) : new PrivateOffer(Grant(requester, endpoint));
    }

    private PrivateOffer Ask(PrivateRequester requester, PeerEndpointSnapshot target)
    {
        var seconds = (int)Math.Ceiling(consent.Timeout.TotalSeconds);
        switch (consent.TryAsk(requester, target.User))
        {
            case ConsentAsk.AlreadyAsked:
                return PrivateOffer.Refused(StatusCode.Conflict, $"You already asked {target.User} for a private session; waiting for an answer.", Reasons.AlreadyAsked);
            case ConsentAsk.TooMany:
                return PrivateOffer.Refused(StatusCode.TooManyRequests,
                    "You have asked for too many private sessions in the last minute; wait a minute and try again.", Reasons.RateLimited);
        }
        target.Link.TrySend(ServerFrames.PrivateRequested(new PrivateRequested(requester.User, seconds)));
        return new PrivateOffer(Pending: new PrivatePending(target.User, seconds));
    }

    /// <summary><c>acceptprivate</c> / <c>declineprivate</c>: answers the request from <c>request.User</c>; the requester hears the outcome.</summary>
    public Reply Answer(Session answering, AnswerPrivateRequest request)
    {
        var from = request.User;
        if (consent.Take(from, answering.User) is not { } requester)
        {
            return Reply.Refuse(StatusCode.NotFound,
                $"{from} has no open request for a private session with you (requests end after {consent.Timeout.TotalSeconds:0} s).", Reasons.NoRequest);
        }
        if (!request.Accept)
        {
            Tell(requester.User, answering.User, ConsentOutcome.Declined);
            return Reply.Ok($"You declined {from}'s private session.");
        }
        if (PeerEndpointOf(answering) is not { Fingerprint: not null } endpoint || requester.Fingerprint is null
            || !Tell(requester.User, answering.User, ConsentOutcome.Accepted, Grant(requester, endpoint)))
        {
            return Reply.Refuse(StatusCode.NotFound, $"{from} is no longer online.", Reasons.Offline);
        }
        return Reply.Ok($"You accepted {from}'s private session; {from} is connecting.");
    }

    /// <summary>
    /// <c>privatemode [ask|open]</c>: sets the mode, or with none, tells the current one. A user's choice is stored
    /// before it is confirmed (a guest's goes with the guest).
    /// </summary>
    public async ValueTask<Reply> SetModeAsync(Session session, PrivateModeRequest request)
    {
        if (request.Mode is { } mode)
        {
            if (!session.IsGuest)
            {
                await settings.SetAsksFirstAsync(session.User, mode == PrivateMode.Ask);
            }
            Modes.Set(session.User, mode);
            Remote?.ModeChanged(session.User, mode);
        }
        return Reply.Ok(Modes.Get(session.User) == PrivateMode.Ask
            ? "Private mode: ask (others must wait for you to acceptprivate or declineprivate)."
            : "Private mode: open (online users who have not been blocked can start a private session with you).");
    }

    /// <summary>A user left (here, or on another node in cluster mode): its pending requests end, and the other side of each is told.</summary>
    public void UserLeft(string user, bool isGuest)
    {
        foreach (var (requester, target) in consent.UserLeft(user))
        {
            if (target == user)
            {
                Tell(requester.User, target, ConsentOutcome.Withdrawn);
            }
            else
            {
                NoticeTarget(target, $"{requester.User}'s request for a private session ended: {requester.User} left.");
            }
        }
        if (isGuest)
        {
            Modes.Forget(user);
        }
    }

    private PrivateGrant Grant(PrivateRequester requester, PeerEndpointSnapshot target) =>
        new(target.User, target.Host, target.Port, target.Fingerprint!,
            tickets!.Issue(TicketPurposes.Private, requester.User, requester.Fingerprint!, target.User, target.Fingerprint!));

    /// <summary>
    /// Tells the requester how its request to <paramref name="target"/> ended, wherever it is now (this node, or the
    /// node the directory names); false when it is not online.
    /// </summary>
    private bool Tell(string requester, string target, ConsentOutcome outcome, PrivateGrant? grant = null)
    {
        var consentEvent = new PrivateConsent(target, outcome, grant);
        if (sessions.Find(requester) is null && Remote?.NodeOf(requester) is { } node)
        {
            Remote.Tell(node, requester, consentEvent);
            return true;
        }
        return TellHere(requester, consentEvent);
    }

    /// <summary>Tells a requester of this node (also for another node's answer); false when it has no link now.</summary>
    public bool TellHere(string requester, PrivateConsent consentEvent)
    {
        if (sessions.Find(requester) is not { } session)
        {
            return false;
        }
        IClientLink? link;
        lock (session.Gate)
        {
            link = session.Ended ? null : session.Link;
        }
        return link?.TrySend(ServerFrames.PrivateConsent(consentEvent)) == true;
    }

    /// <summary>The target of a request that ended without its answer hears so, so that a late answer is not a surprise.</summary>
    private void NoticeTarget(string target, string text) => sessions.Find(target)?.Link?.TrySend(ServerFrames.Notice(text));

    /// <summary>Where and with which key a user takes peers, read under its gate; null while it has no connection.</summary>
    private static PeerEndpointSnapshot? PeerEndpointOf(Session peer)
    {
        lock (peer.Gate)
        {
            return peer.Link is { } link
                ? new PeerEndpointSnapshot(peer.User, link, peer.PeerHost ?? link.RemoteAddress, peer.PeerPort, peer.PeerFingerprint)
                : null;
        }
    }
}
