namespace Messenger.Protocol.Contracts;

// Client -> server request payloads. One record per frame type; docs/PROTOCOL.md §4 lists each.

/// <summary>
/// Login with a password, or resume a session with the token from an earlier login. <paramref name="PeerPort"/> and
/// <paramref name="PeerFingerprint"/> (SPKI SHA-256 of the client's own certificate) let others open private
/// sessions to it; <paramref name="PeerHost"/> overrides the address the server saw (for hosts behind a NAT).
/// <paramref name="Register"/>: the user asked for a new account (an unknown name is created only then, and only when
/// the server allows sign-up); without it an unknown name is refused, so a typo never creates an account.
/// <paramref name="Features"/> names the optional frame families the client understands (<see cref="ClientFeatures"/>):
/// the server sends no event of a family a client did not name, so an older client never meets a frame it cannot read.
/// </summary>
public sealed record LoginRequest(string Username, string? Password = null, string? ResumeToken = null, int PeerPort = 0, string? PeerFingerprint = null, string? PeerHost = null,
    bool Register = false, string[]? Features = null);

/// <summary>The words of <see cref="LoginRequest.Features"/>.</summary>
public static class ClientFeatures
{
    /// <summary>Rooms and history (0x60-0x6F): the client can be sent <c>RoomNotice</c> and <c>RoomMessageEvent</c>.</summary>
    public const string Rooms = "rooms";

    /// <summary>Compact direct messages (docs/PROTOCOL.md §4.2): the client is sent <c>IncomingCompact</c> instead of <c>IncomingMessage</c>.</summary>
    public const string Compact = "compact";
}

/// <summary>A direct message. <paramref name="MessageId"/> is the sender client's id: resends carry the same id.</summary>
public sealed record SendMessageRequest(string To, string Text, long MessageId);

public sealed record BroadcastRequest(string Text);

/// <summary>Who else is online; with <paramref name="SinceSeconds"/>, who else was online at any moment in that window.</summary>
public sealed record WhoElseRequest(long? SinceSeconds = null);

public sealed record BlockRequest(string User);

public sealed record UnblockRequest(string User);

public sealed record LogoutRequest();

/// <summary>A keep-alive: proves the connection works; never counts as activity.</summary>
public sealed record PingRequest();

public sealed record StartPrivateRequest(string User);

/// <summary>Tells the server the user did something it cannot see (a private message), for the idle timeout.</summary>
public sealed record ActivityRequest(string Kind);

/// <summary>Acknowledges incoming messages by delivery id; no response. Acks may be batched.</summary>
public sealed record AckMessages(long[] DeliveryIds);
