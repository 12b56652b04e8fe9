namespace Messenger.Protocol.Contracts;

// Rooms and history (docs/PROTOCOL.md §4 "Rooms and history"). Room names are '#' and 1-32 of A-Za-z0-9_-,
// compared without case (RoomNames).

/// <summary>Joins a room; a name not in use creates it (public, the joiner its owner).</summary>
public sealed record JoinRoomRequest(string Room);

public sealed record LeaveRoomRequest(string Room);

/// <summary>A message to a room. <paramref name="MessageId"/> is the sender client's id.</summary>
public sealed record RoomMessageRequest(string Room, string Text, long MessageId);

/// <summary>The rooms this user can see: public ones, its own and those it is invited to.</summary>
public sealed record ListRoomsRequest();

public sealed record RoomMembersRequest(string Room);

/// <summary>
/// A room's settings: with neither <paramref name="Topic"/> nor <paramref name="Private"/>, shows the topic; with
/// either, changes it (owner only).
/// </summary>
public sealed record RoomSettingsRequest(string Room, string? Topic = null, bool? Private = null);

/// <summary>Owner only: invites a user (the only way into a private room).</summary>
public sealed record RoomInviteRequest(string Room, string User);

/// <summary>Owner only: removes a member (who may rejoin a public room).</summary>
public sealed record RoomKickRequest(string Room, string User);

/// <summary>The last <paramref name="Count"/> (1-500) messages of a room (<c>#name</c>) or of the conversation with a user.</summary>
public sealed record HistoryRequest(string Target, int Count);

/// <summary>While on, the user is left out of presence, whoelse and members' online marks for everyone else.</summary>
public sealed record InvisibleRequest(bool On);

/// <summary>A room and a position in its log.</summary>
public sealed record RoomPosition(string Room, long Position);

/// <summary>No response: the client shown everything up to these positions (the server catches up from there).</summary>
public sealed record RoomAck(RoomPosition[] Positions);

/// <summary>One room as listed by <see cref="ListRoomsRequest"/>.</summary>
public sealed record RoomSummary(string Name, int Members, string Topic, bool IsPrivate, bool IsMember, bool IsInvited);

public sealed record RoomList(RoomSummary[] Rooms);

/// <summary>One member; <paramref name="Online"/> is false for invisible members (except to themselves).</summary>
public sealed record RoomMemberInfo(string User, bool Online, bool IsOwner);

public sealed record RoomMemberList(string Room, RoomMemberInfo[] Members);

public sealed record HistoryEntry(string From, string Text, long SentAtUnixMs);

/// <summary>
/// History, oldest first. <paramref name="Omitted"/>: older messages within the count that did not fit in one frame.
/// </summary>
public sealed record HistoryPage(string Target, HistoryEntry[] Entries, int Omitted);

/// <summary>
/// A room message, encoded once for every member online. The client shows it once per (room, position) and
/// acknowledges the position with <see cref="RoomAck"/>. <paramref name="WasStored"/>: it waited while the member was away.
/// </summary>
public sealed record RoomMessageEvent(string Room, long Position, string From, string Text, long MessageId, long SentAtUnixMs, bool WasStored);

/// <summary>Something happened in a room (a join, a leave, a kick, an invitation, a new topic, mode or owner), worded for the user.</summary>
public sealed record RoomNotice(string Room, string Text);
