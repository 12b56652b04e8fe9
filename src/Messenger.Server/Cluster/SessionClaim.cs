namespace Messenger.Server.Cluster;

/// <summary>The node holding a user's session, and the SHA-256 of its resume token (so any node can check a resume).</summary>
public sealed record SessionClaim(string User, string Node, byte[] TokenHash);
