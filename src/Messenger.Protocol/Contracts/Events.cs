namespace Messenger.Protocol.Contracts;

// Server -> client events (request id 0): things the user did not ask for.

/// <summary>
/// A message for this user. The client acknowledges <paramref name="DeliveryId"/> with <see cref="AckMessages"/>;
/// until then the server keeps it, and moves it to the offline store if the connection drops.
/// (<paramref name="From"/>, <paramref name="MessageId"/>) identifies it across resends, so the client can drop repeats.
/// </summary>
public sealed record IncomingMessage(long DeliveryId, string From, string Text, long MessageId, long SentAtUnixMs, bool IsBroadcast, bool WasStored);

public enum PresenceKind
{
    LoggedIn = 1,
    LoggedOut = 2,
}

public sealed record PresenceEvent(string User, PresenceKind Kind);

/// <summary>
/// Several presence events at once, oldest first: sent instead of one <see cref="PresenceEvent"/> frame each when
/// users log in or out faster than a person can read (a login storm after a restart). At most
/// <see cref="MaxListed"/> are listed; the rest are only counted.
/// </summary>
public sealed record PresenceDigest(PresenceEvent[] Events, int MoreLoggedIn, int MoreLoggedOut)
{
    public const int MaxListed = 10;
}

/// <summary>The server ends the session (timeout, kick, shutdown, a newer connection): the client must not reconnect.</summary>
public sealed record SessionEnded(string Reason, string Message);

/// <summary>Text from the server operator or the server itself.</summary>
public sealed record Notice(string Text);
