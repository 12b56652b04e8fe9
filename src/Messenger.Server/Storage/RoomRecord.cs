namespace Messenger.Server.Storage;

/// <summary>
/// A room as stored: its name as first spelled (compared without case), owner (null while it has no members), mode,
/// topic, the position of its newest message (0: none), its members in join order and its pending invitations.
/// </summary>
public sealed record RoomRecord(long Id, string Name, string? Owner, bool IsPrivate, string Topic, DateTimeOffset CreatedAt, long LastPosition,
    IReadOnlyList<RoomMemberRecord> Members, IReadOnlyList<string> Invited);
