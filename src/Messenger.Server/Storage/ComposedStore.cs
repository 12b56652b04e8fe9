namespace Messenger.Server.Storage;

/// <summary>
/// An <see cref="IServerStore"/> made of one part per table family, each call delegated to its part: the shape both
/// engines share (<see cref="Sqlite.SqliteStore"/>, <see cref="Postgres.PostgresStore"/>), written once.
/// </summary>
public abstract class ComposedStore(IMailboxStore mailbox, IPresenceHistory history, IBlockStore blocks, ILockoutStore lockouts,
    IRoomStore rooms, IRoomLog roomLog, IDirectHistory directHistory, IUserSettingsStore settings) : IServerStore
{
    public ValueTask<long> StoreOfflineAsync(StoredMessage message, CancellationToken cancellationToken = default) =>
        mailbox.StoreOfflineAsync(message, cancellationToken);

    public ValueTask<long?> StoreOfflineIfRoomAsync(StoredMessage message, int maxPerRecipient, CancellationToken cancellationToken = default) =>
        mailbox.StoreOfflineIfRoomAsync(message, maxPerRecipient, cancellationToken);

    public ValueTask<IReadOnlyList<StoredMessage>> LoadOfflineAsync(string recipient, long afterId, int max, CancellationToken cancellationToken = default) =>
        mailbox.LoadOfflineAsync(recipient, afterId, max, cancellationToken);

    public ValueTask DeleteOfflineAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        mailbox.DeleteOfflineAsync(ids, cancellationToken);

    public ValueTask<int> CountOfflineAsync(string recipient, CancellationToken cancellationToken = default) =>
        mailbox.CountOfflineAsync(recipient, cancellationToken);

    public ValueTask RecordLoginAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        history.RecordLoginAsync(user, at, cancellationToken);

    public ValueTask RecordLogoutAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        history.RecordLogoutAsync(user, at, cancellationToken);

    public ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LoadLastLogoutsAsync(DateTimeOffset closeOpenSessionsAt, CancellationToken cancellationToken = default) =>
        history.LoadLastLogoutsAsync(closeOpenSessionsAt, cancellationToken);

    public ValueTask AddBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default) =>
        blocks.AddBlockAsync(blocker, blocked, cancellationToken);

    public ValueTask RemoveBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default) =>
        blocks.RemoveBlockAsync(blocker, blocked, cancellationToken);

    public ValueTask<IReadOnlyList<BlockEntry>> LoadBlocksAsync(CancellationToken cancellationToken = default) =>
        blocks.LoadBlocksAsync(cancellationToken);

    public ValueTask SaveLockoutAsync(LockoutRecord record, CancellationToken cancellationToken = default) =>
        lockouts.SaveLockoutAsync(record, cancellationToken);

    public ValueTask<IReadOnlyList<LockoutRecord>> LoadLockoutsAsync(CancellationToken cancellationToken = default) =>
        lockouts.LoadLockoutsAsync(cancellationToken);

    public ValueTask<IReadOnlyList<RoomRecord>> LoadRoomsAsync(CancellationToken cancellationToken = default) =>
        rooms.LoadRoomsAsync(cancellationToken);

    public ValueTask<RoomCreated> CreateRoomAsync(string name, string owner, DateTimeOffset at, long ackedPosition, CancellationToken cancellationToken = default) =>
        rooms.CreateRoomAsync(name, owner, at, ackedPosition, cancellationToken);

    public ValueTask<long> AddMemberAsync(long roomId, string user, long ackedPosition, string? newOwner, CancellationToken cancellationToken = default) =>
        rooms.AddMemberAsync(roomId, user, ackedPosition, newOwner, cancellationToken);

    public ValueTask RemoveMemberAsync(long roomId, string user, string? newOwner, CancellationToken cancellationToken = default) =>
        rooms.RemoveMemberAsync(roomId, user, newOwner, cancellationToken);

    public ValueTask SetTopicAsync(long roomId, string topic, CancellationToken cancellationToken = default) =>
        rooms.SetTopicAsync(roomId, topic, cancellationToken);

    public ValueTask SetPrivateAsync(long roomId, bool isPrivate, CancellationToken cancellationToken = default) =>
        rooms.SetPrivateAsync(roomId, isPrivate, cancellationToken);

    public ValueTask AddInvitationAsync(long roomId, string user, string invitedBy, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        rooms.AddInvitationAsync(roomId, user, invitedBy, at, cancellationToken);

    public ValueTask SetAckedPositionsAsync(IReadOnlyCollection<AckedPosition> positions, CancellationToken cancellationToken = default) =>
        rooms.SetAckedPositionsAsync(positions, cancellationToken);

    public ValueTask RemoveRoomAsync(long roomId, CancellationToken cancellationToken = default) =>
        rooms.RemoveRoomAsync(roomId, cancellationToken);

    public ValueTask<long> AppendRoomMessageAsync(long roomId, string sender, long messageId, string text, DateTimeOffset sentAt,
        CancellationToken cancellationToken = default) =>
        roomLog.AppendRoomMessageAsync(roomId, sender, messageId, text, sentAt, cancellationToken);

    public ValueTask<IReadOnlyList<RoomMessage>> LoadRoomMessagesAsync(long roomId, long afterPosition, int max, CancellationToken cancellationToken = default) =>
        roomLog.LoadRoomMessagesAsync(roomId, afterPosition, max, cancellationToken);

    public ValueTask<IReadOnlyList<RoomMessage>> LoadRecentRoomMessagesAsync(long roomId, int max, CancellationToken cancellationToken = default) =>
        roomLog.LoadRecentRoomMessagesAsync(roomId, max, cancellationToken);

    public ValueTask AppendDirectHistoryAsync(DirectHistoryBatch messages, CancellationToken cancellationToken = default) =>
        directHistory.AppendDirectHistoryAsync(messages, cancellationToken);

    public ValueTask<IReadOnlyList<StoredMessage>> LoadDirectHistoryAsync(string user, string other, int max, CancellationToken cancellationToken = default) =>
        directHistory.LoadDirectHistoryAsync(user, other, max, cancellationToken);

    public ValueTask<int> PurgeDirectHistoryAsync(string user, CancellationToken cancellationToken = default) =>
        directHistory.PurgeDirectHistoryAsync(user, cancellationToken);

    public ValueTask<int> TrimDirectHistoryAsync(DateTimeOffset olderThan, int maxPerConversation, CancellationToken cancellationToken = default) =>
        directHistory.TrimDirectHistoryAsync(olderThan, maxPerConversation, cancellationToken);

    public abstract void Dispose();

    public ValueTask SetAsksFirstAsync(string user, bool asksFirst, CancellationToken cancellationToken = default) =>
        settings.SetAsksFirstAsync(user, asksFirst, cancellationToken);

    public ValueTask<IReadOnlyList<string>> LoadUsersWhoAskFirstAsync(CancellationToken cancellationToken = default) =>
        settings.LoadUsersWhoAskFirstAsync(cancellationToken);
}
