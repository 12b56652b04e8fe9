namespace Messenger.Server.Storage;

/// <summary>Offline mailboxes: messages stored for recipients who are not online, until they acknowledge them.</summary>
public interface IMailboxStore
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
}
