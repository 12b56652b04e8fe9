using Messenger.Server.Sessions;

namespace Messenger.Server.Private;

/// <summary>A user's peer endpoint and key as they were when read (under the session's gate), and its link then.</summary>
public sealed record PeerEndpointSnapshot(string User, IClientLink Link, string Host, int Port, string? Fingerprint);
