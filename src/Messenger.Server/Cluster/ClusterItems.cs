using System.Text.Json.Serialization;
using Messenger.Protocol.Contracts;
using Messenger.Server.Private;
using Messenger.Server.Swarm;

namespace Messenger.Server.Cluster;

/// <summary>
/// What nodes tell each other over the bus: items sent to one node (ordered per destination) and events published to
/// every node. <see cref="From"/> is set by the sending bus. Small records of one family, kept together like the
/// protocol's contracts.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "k")]
[JsonDerivedType(typeof(DeliverItem), "deliver")]
[JsonDerivedType(typeof(OutcomeItem), "outcome")]
[JsonDerivedType(typeof(TakeoverItem), "takeover")]
[JsonDerivedType(typeof(TakeoverReply), "takeover-reply")]
[JsonDerivedType(typeof(PokeItem), "poke")]
[JsonDerivedType(typeof(SessionEvent), "session")]
[JsonDerivedType(typeof(BlockEvent), "block")]
[JsonDerivedType(typeof(BroadcastEvent), "broadcast")]
[JsonDerivedType(typeof(PrivateOfferItem), "private-offer")]
[JsonDerivedType(typeof(PrivateOfferReply), "private-offer-reply")]
[JsonDerivedType(typeof(PrivateConsentItem), "private-consent")]
[JsonDerivedType(typeof(PrivateModeEvent), "private-mode")]
[JsonDerivedType(typeof(HolderQueryItem), "holder-query")]
[JsonDerivedType(typeof(HolderListReply), "holder-list")]
[JsonDerivedType(typeof(SwarmReportEvent), "swarm-report")]
[JsonDerivedType(typeof(RoomChangedEvent), "room-changed")]
[JsonDerivedType(typeof(RoomAppendedEvent), "room-appended")]
[JsonDerivedType(typeof(InvisibleEvent), "invisible")]
[JsonDerivedType(typeof(KickItem), "kick")]
[JsonDerivedType(typeof(KickReply), "kick-reply")]
[JsonDerivedType(typeof(NoticeEvent), "notice")]
public abstract record ClusterItem
{
    public string From { get; init; } = "";
}

/// <summary>
/// A message for a user whose session is on the receiving node; answered with an <see cref="OutcomeItem"/> that carries
/// <see cref="Ref"/> back: the sending node's number for this forwarding, which is all it needs to find what it keeps in flight.
/// </summary>
public sealed record DeliverItem(long Ref, string Sender, string Recipient, long MessageId, string Text, long SentAtMs) : ClusterItem;

/// <summary>What became of the <see cref="DeliverItem"/> numbered <see cref="Ref"/>: an outcome, or a refusal (Status, Message, Reason).</summary>
public sealed record OutcomeItem(long Ref, DeliveryOutcome? Outcome, StatusCode? Status = null, string? Message = null, string? Reason = null) : ClusterItem;

/// <summary>
/// Asks the node holding <see cref="User"/>'s session to hand it over: a resume (the client moved, its old link is
/// stale) always; a password login only when the session is detached, as on one node.
/// </summary>
public sealed record TakeoverItem(long CallId, string User, bool Resume) : ClusterItem;

public sealed record TakeoverReply(long CallId, bool Released) : ClusterItem;

/// <summary>A message was stored for a user attached to the receiving node: offer it the backlog.</summary>
public sealed record PokeItem(string User) : ClusterItem;

/// <summary>Where a session is: logged in (Node holds it), moved to Node (no presence change), or logged out.</summary>
/// <summary>Quiet: the user was invisible, so nobody is told and whoelsesince does not list it.</summary>
public sealed record SessionEvent(string User, SessionChange Change, string Node, long AtMs, bool Quiet = false) : ClusterItem;

public enum SessionChange
{
    LoggedIn,
    Moved,
    LoggedOut,
}

/// <summary>A block list changed on one node; every other node's mirror follows.</summary>
public sealed record BlockEvent(string Blocker, string Blocked, bool Added) : ClusterItem;

/// <summary>A broadcast from a user of another node, for this node's users.</summary>
public sealed record BroadcastEvent(string Sender, long MessageId, string Text, long SentAtMs) : ClusterItem;

/// <summary>startprivate for a user of the receiving node: that node decides and answers a <see cref="PrivateOfferReply"/>.</summary>
public sealed record PrivateOfferItem(long CallId, string Requester, string? Fingerprint, string Target) : ClusterItem;

public sealed record PrivateOfferReply(long CallId, PrivateOffer Offer) : ClusterItem;

/// <summary>How a request from a user of the receiving node ended (accepted with a grant, declined, no answer, withdrawn).</summary>
public sealed record PrivateConsentItem(string Requester, PrivateConsent Consent) : ClusterItem;

/// <summary>A user's privatemode changed on one node; every node keeps it, so it holds wherever the user logs in next.</summary>
public sealed record PrivateModeEvent(string User, PrivateMode Mode) : ClusterItem;

/// <summary>p2pDownload on another node: ask this node's users and answer this node's holdings (<see cref="HolderListReply"/>).</summary>
public sealed record HolderQueryItem(long CallId, string Requester, string Name, string? FileId) : ClusterItem;

public sealed record HolderListReply(long CallId, SwarmHolding[] Holdings) : ClusterItem;

/// <summary>A bad-chunk report counted on one node; every node counts it, so distinct reporters on any nodes add up.</summary>
public sealed record SwarmReportEvent(string Reporter, string FileId, string Owner) : ClusterItem;

/// <summary>A room changed on one node: every node reloads it from the store, then shows the notice (if any) to its members but Except, or to ToUser only.</summary>
public sealed record RoomChangedEvent(long RoomId, string? Text, string? Except, string? ToUser) : ClusterItem;

/// <summary>A message was committed to a room's log on one node: every node reads the log on from what it fanned out.</summary>
public sealed record RoomAppendedEvent(long RoomId) : ClusterItem;

/// <summary>A user went invisible (On) or visible again on its node; every node's whoelse follows.</summary>
public sealed record InvisibleEvent(string User, bool On) : ClusterItem;

/// <summary>The operator of another node kicks <see cref="User"/>, whose session the receiving node holds; answered with a <see cref="KickReply"/>.</summary>
public sealed record KickItem(long CallId, string User) : ClusterItem;

/// <summary>Whether the node ended the session (false: it no longer held one).</summary>
public sealed record KickReply(long CallId, bool Kicked) : ClusterItem;

/// <summary>The operator's notice for every online user: each node shows it to its own.</summary>
public sealed record NoticeEvent(string Text) : ClusterItem;

[JsonSerializable(typeof(ClusterItem))]
[JsonSerializable(typeof(ClusterItem[]))]
internal sealed partial class ClusterJsonContext : JsonSerializerContext;
