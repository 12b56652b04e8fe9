namespace Messenger.Protocol.Contracts;

// Server -> client response payloads (request id = the request's).

/// <summary>
/// The status-only response: every error, and success of requests that return no data.
/// <paramref name="Reason"/> is a stable machine-readable word (see <see cref="Reasons"/>); Message is for people.
/// </summary>
public sealed record Response(StatusCode Status, string Message, string? Reason = null);

/// <summary>
/// <paramref name="ServerKey"/> is the SPKI SHA-256 of the key that signs private-session tickets. Over TLS the client
/// checks tickets against the key it pinned instead; in plaintext mode this field is all it has (unauthenticated).
/// <paramref name="AccountCreated"/>: this login created the account. <paramref name="Guest"/>: a guest session (its
/// name was chosen by the server; nothing is stored for it). <paramref name="Features"/>: the words of the login's
/// <c>features</c> this server took up (<see cref="ClientFeatures.Compact"/>: the client may send compact frames).
/// </summary>
public sealed record LoginAccepted(string Username, string ResumeToken, string Welcome, bool Resumed, long ServerTimeUnixMs, string? ServerKey = null,
    bool AccountCreated = false, bool Guest = false, string[]? Features = null);

public enum DeliveryOutcome
{
    /// <summary>The recipient's client acknowledged the message.</summary>
    Delivered = 1,

    /// <summary>The recipient is offline: the message is committed to the server's store.</summary>
    Stored = 2,
}

public sealed record SendResult(long MessageId, DeliveryOutcome Outcome);

/// <summary><paramref name="SkippedByBlock"/> is true only when an online user who blocked the sender was skipped.</summary>
public sealed record BroadcastResult(int Recipients, bool SkippedByBlock);

public sealed record UserList(string[] Users);

/// <summary>
/// Lets the requester open a direct session: where the peer listens, the peer's certificate fingerprint, and a
/// ticket (CMS SignedData, base64) the server signed naming both users and an expiry.
/// </summary>
public sealed record PrivateGrant(string User, string Host, int Port, string PeerFingerprint, string Ticket);
