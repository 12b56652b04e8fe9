namespace Messenger.Security;

/// <summary>What a <see cref="PrivateTicket"/> allows; a ticket for one purpose is no good for the other.</summary>
public static class TicketPurposes
{
    /// <summary>A private chat session (startprivate).</summary>
    public const string Private = "private";

    /// <summary>Fetching chunks from a peer in a swarm download.</summary>
    public const string Swarm = "swarm";

    public static bool IsKnown(string? purpose) => purpose is Private or Swarm;
}
