namespace Messenger.Protocol.Contracts;

/// <summary>Asks the server which version it runs (issue 18). Answered with <see cref="VersionInfo"/>.</summary>
public sealed record VersionRequest();

/// <summary>
/// The server's version, the protocol version it speaks (the frame header's version byte), and the SPKI SHA-256 of its
/// key (null when it has none). Over TLS the client shows the key it pinned instead: a fingerprint the server reports
/// about itself proves nothing.
/// </summary>
public sealed record VersionInfo(string ServerVersion, int ProtocolVersion, string? ServerKey = null);
