namespace Messenger.Client.Session;

/// <summary>A message the server has not yet answered `delivered` or `stored`: sent again after a reconnect.</summary>
public sealed record OutboxEntry(long MessageId, string To, string Text);
