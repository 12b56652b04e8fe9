namespace Messenger.Server.Private;

/// <summary>
/// Who asks for a private session, as the node deciding it needs them: the name and the key its client registered.
/// A value, not the session, because the requester may be a user of another node.
/// </summary>
public sealed record PrivateRequester(string User, string? Fingerprint);
