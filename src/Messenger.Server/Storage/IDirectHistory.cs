namespace Messenger.Server.Storage;

/// <summary>
/// The history of direct conversations: every accepted direct message, kept apart from the mailbox (which holds only
/// what is still to be delivered) and trimmed by a retention rule.
/// </summary>
public interface IDirectHistory
{
    /// <summary>
    /// Appends accepted direct messages in one commit, in order (a resend of one already kept changes nothing). The
    /// batch is the caller's again once this completes (history's writer reuses it).
    /// </summary>
    ValueTask AppendDirectHistoryAsync(DirectHistoryBatch messages, CancellationToken cancellationToken = default);

    /// <summary>The last <paramref name="max"/> messages between two users (either direction), oldest first.</summary>
    ValueTask<IReadOnlyList<StoredMessage>> LoadDirectHistoryAsync(string user, string other, int max, CancellationToken cancellationToken = default);

    /// <summary>Deletes every conversation of <paramref name="user"/>; returns how many messages went.</summary>
    ValueTask<int> PurgeDirectHistoryAsync(string user, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes messages sent before <paramref name="olderThan"/> and, per conversation, all but the newest
    /// <paramref name="maxPerConversation"/>; returns how many went.
    /// </summary>
    ValueTask<int> TrimDirectHistoryAsync(DateTimeOffset olderThan, int maxPerConversation, CancellationToken cancellationToken = default);
}
