namespace Messenger.Server.Storage;

/// <summary>
/// One member of a room. <see cref="JoinOrder"/> grows with every join (the longest-standing member has the smallest);
/// <see cref="AckedPosition"/> is the last room message this member's client acknowledged (it catches up from there).
/// </summary>
public sealed record RoomMemberRecord(string User, long JoinOrder, long AckedPosition);
