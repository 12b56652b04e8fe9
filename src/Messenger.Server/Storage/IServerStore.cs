namespace Messenger.Server.Storage;

/// <summary>
/// What must survive a restart: offline messages, login history, block lists, lockouts.
/// The server keeps in-memory mirrors of everything but offline messages and writes through;
/// an implementation must have committed durably when a returned task completes.
/// SQLite is the engine today (<see cref="SqliteServerStore"/>); this seam lets a server-grade engine replace it.
/// </summary>
public interface IServerStore : IDisposable
{
    /// <summary>
    /// Stores a message for an offline recipient. Idempotent on (Sender, MessageId, Recipient): storing a resend
    /// returns the existing row's id and changes nothing. Returns the row id.
    /// </summary>
    ValueTask<long> StoreOfflineAsync(StoredMessage message, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores like <see cref="StoreOfflineAsync"/> unless the recipient already has <paramref name="maxPerRecipient"/>
    /// stored messages; the count and the insert are one atomic step, so concurrent senders cannot overshoot the cap.
    /// Returns the row id (also for a resend of a message already stored), or null when the mailbox is full.
    /// </summary>
    ValueTask<long?> StoreOfflineIfRoomAsync(StoredMessage message, int maxPerRecipient, CancellationToken cancellationToken = default);

    /// <summary>
    /// A page of a recipient's stored messages: those with a row id above <paramref name="afterId"/>, oldest first, at
    /// most <paramref name="max"/>. Row ids only grow (never reused), so paging by the last id seen misses nothing.
    /// </summary>
    ValueTask<IReadOnlyList<StoredMessage>> LoadOfflineAsync(string recipient, long afterId, int max, CancellationToken cancellationToken = default);

    /// <summary>Removes stored messages once the recipient acknowledged them. Unknown ids are ignored.</summary>
    ValueTask DeleteOfflineAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default);

    ValueTask<int> CountOfflineAsync(string recipient, CancellationToken cancellationToken = default);

    /// <summary>Remembers that <paramref name="user"/> logged out (or was last seen) at <paramref name="at"/>.</summary>
    ValueTask RecordLogoutAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Remembers that <paramref name="user"/> is online from <paramref name="at"/> (its session is open).</summary>
    ValueTask RecordLoginAsync(string user, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every user's last logout time. Sessions still open in the store (the server died without logging them out)
    /// are closed at <paramref name="closeOpenSessionsAt"/> first, so a crash does not make users look online forever.
    /// </summary>
    ValueTask<IReadOnlyDictionary<string, DateTimeOffset>> LoadLastLogoutsAsync(DateTimeOffset closeOpenSessionsAt, CancellationToken cancellationToken = default);

    ValueTask AddBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default);

    ValueTask RemoveBlockAsync(string blocker, string blocked, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<BlockEntry>> LoadBlocksAsync(CancellationToken cancellationToken = default);

    /// <summary>Saves a user's failure count and lock expiry; a record with 0 failures and no lock is deleted.</summary>
    ValueTask SaveLockoutAsync(LockoutRecord record, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<LockoutRecord>> LoadLockoutsAsync(CancellationToken cancellationToken = default);
}
