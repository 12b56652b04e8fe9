namespace Messenger.Client.Peers;

/// <summary>The reason words a PrivateClose frame carries (docs/PROTOCOL.md §8).</summary>
public static class PrivateCloseReasons
{
    public const string Stopped = "stopped";
    public const string LoggedOut = "logged out";
    public const string TimedOut = "timed out";
    public const string Blocked = "blocked";
    public const string ConnectionLost = "connection lost";

    /// <summary>
    /// This side's own ending, never sent (the peer would not read it): the peer stopped reading and the texts waiting
    /// for it reached <see cref="PeerSession.OutboundQueueBytes"/>.
    /// </summary>
    public const string PeerNotReading = "peer not reading";
}
