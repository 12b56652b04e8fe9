namespace Messenger.Server.Storage;

/// <summary>The last position of a room that a member's client acknowledged.</summary>
public readonly record struct AckedPosition(long RoomId, string User, long Position);
