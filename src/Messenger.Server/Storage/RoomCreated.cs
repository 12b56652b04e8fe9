namespace Messenger.Server.Storage;

/// <summary>A new room's id and its first member's (the owner's) join order.</summary>
public readonly record struct RoomCreated(long RoomId, long OwnerJoinOrder);
