namespace Messenger.Client.Session;

/// <summary>The server's verdict on a login: <see cref="Reason"/> is a Protocol.Contracts.Reasons word, null on success.</summary>
public sealed record LoginResult(bool Accepted, string Message, string? Reason);
