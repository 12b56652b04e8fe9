namespace Messenger.Server.Storage;

/// <summary>
/// Rooms and who belongs to them: members (join order, acknowledged position), owner, mode, topic, invitations.
/// The server keeps all of it in memory (loaded at start) and writes through; each task completes once durable.
/// </summary>
public interface IRoomStore
{
    ValueTask<IReadOnlyList<RoomRecord>> LoadRoomsAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a public room with <paramref name="owner"/> as its owner and first member, in one commit.</summary>
    ValueTask<RoomCreated> CreateRoomAsync(string name, string owner, DateTimeOffset at, long ackedPosition, CancellationToken cancellationToken = default);

    /// <summary>Adds a member (its invitation, if any, is used up in the same commit); returns its join order.</summary>
    ValueTask<long> AddMemberAsync(long roomId, string user, long ackedPosition, string? newOwner, CancellationToken cancellationToken = default);

    /// <summary>Removes a member and sets the owner (null: the room has no members left) in one commit.</summary>
    ValueTask RemoveMemberAsync(long roomId, string user, string? newOwner, CancellationToken cancellationToken = default);

    ValueTask SetTopicAsync(long roomId, string topic, CancellationToken cancellationToken = default);

    ValueTask SetPrivateAsync(long roomId, bool isPrivate, CancellationToken cancellationToken = default);

    /// <summary>Invites a user (idempotent).</summary>
    ValueTask AddInvitationAsync(long roomId, string user, string invitedBy, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Raises members' acknowledged positions, all in one commit (a lower one changes nothing).</summary>
    ValueTask SetAckedPositionsAsync(IReadOnlyCollection<AckedPosition> positions, CancellationToken cancellationToken = default);

    /// <summary>Deletes a room with its members, invitations and messages.</summary>
    ValueTask RemoveRoomAsync(long roomId, CancellationToken cancellationToken = default);
}
