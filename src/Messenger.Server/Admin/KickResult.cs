namespace Messenger.Server.Admin;

/// <summary>What an operator's kick did.</summary>
public enum KickResult
{
    Disconnected,
    NotOnline,

    /// <summary>The node holding the session did not answer in time (cluster mode): the user may still be online.</summary>
    NoAnswer,
}
