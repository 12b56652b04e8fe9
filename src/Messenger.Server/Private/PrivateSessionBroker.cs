using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Security;
using Messenger.Server.Dispatch;
using Messenger.Server.Messaging;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;

namespace Messenger.Server.Private;

/// <summary><c>startprivate</c>: the server brokers a private session and never sees its texts.</summary>
/// <param name="tickets">Signs tickets with the server's key; null when the server has none (then no private sessions).</param>
public sealed class PrivateSessionBroker(SessionRegistry sessions, BlockList blocks, RequestRules rules, TicketSigner? tickets) : IRequestRoutes
{
    public void Map(FrameDispatcher dispatcher) =>
        dispatcher.On(FrameType.StartPrivate, ProtocolJsonContext.Default.StartPrivateRequest,
            (context, request) => ValueTask.FromResult(Start(context.Session, request.User)));

    /// <summary>
    /// Brokers a private session: the peer's endpoint and key, and a ticket signed by the server naming both users
    /// and both keys. The text of private messages never passes through the server.
    /// </summary>
    public Reply Start(Session requester, string target)
    {
        if (rules.CheckTarget(requester, target, "start a private session with") is { } refusal)
        {
            return refusal;
        }
        if (tickets is null)
        {
            return Reply.Refuse(StatusCode.Unavailable, "Private sessions are not available on this server.", Reasons.ServerError);
        }
        if (blocks.IsBlocked(target, requester.User))
        {
            return Reply.Refuse(StatusCode.Forbidden,
                $"A private session with {target} could not be started as {target} has blocked you.", Reasons.BlockedByRecipient);
        }
        var peer = sessions.Find(target);
        IClientLink? peerLink = null;
        int port = 0;
        string? fingerprint = null, host = null;
        if (peer is not null)
        {
            lock (peer.Gate)
            {
                (peerLink, port, fingerprint, host) = (peer.Link, peer.PeerPort, peer.PeerFingerprint, peer.PeerHost);
            }
        }
        if (peerLink is null)
        {
            return Reply.Refuse(StatusCode.NotFound, $"{target} is offline.", Reasons.Offline);
        }
        if (port == 0 || fingerprint is null || requester.PeerFingerprint is null)
        {
            return Reply.Refuse(StatusCode.Conflict,
                requester.PeerFingerprint is null ? "Your client does not accept private sessions." : $"{target}'s client does not accept private sessions.",
                Reasons.BadRequest);
        }
        var ticket = tickets.Issue(TicketPurposes.Private, requester.User, requester.PeerFingerprint, target, fingerprint);
        return Reply.Frame(FrameType.PrivateGrant, new PrivateGrant(target, host ?? peerLink.RemoteAddress, port, fingerprint, ticket),
            ProtocolJsonContext.Default.PrivateGrant);
    }
}
