namespace Messenger.Client.Peers;

/// <summary>Where a peer listens, the key it must present, and the server's ticket for connecting to it.</summary>
public sealed record PeerEndpoint(string User, string Host, int Port, string Fingerprint, string Ticket, string Purpose);
