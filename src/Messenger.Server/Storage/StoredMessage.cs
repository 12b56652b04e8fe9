namespace Messenger.Server.Storage;

/// <summary>A message waiting for an offline recipient. <see cref="Id"/> is the store's row id (0 before storing).</summary>
public sealed record StoredMessage(long Id, string Sender, string Recipient, long MessageId, string Text, DateTimeOffset SentAt);
