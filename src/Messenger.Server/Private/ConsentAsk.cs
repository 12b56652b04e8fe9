namespace Messenger.Server.Private;

/// <summary>What became of asking a user in `privatemode ask` for a private session.</summary>
public enum ConsentAsk
{
    /// <summary>The target is asked; the answer (or the timeout) comes later.</summary>
    Asked,

    /// <summary>This requester's earlier request to the same target is still waiting.</summary>
    AlreadyAsked,

    /// <summary>The requester asked too often in the last minute.</summary>
    TooMany,
}
