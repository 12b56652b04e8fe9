namespace Messenger.Server.Storage;

/// <summary>
/// An <see cref="IServerStore"/> made of one part per table family, each call delegated to its part: the shape both
/// engines share (<see cref="Sqlite.SqliteStore"/>, <see cref="Postgres.PostgresStore"/>), written once.
/// </summary>
public abstract class ComposedStore(IMailboxStore mailbox, IPresenceHistory history, IBlockStore blocks, ILockoutStore lockouts) : IServerStore
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

    public abstract void Dispose();
}
