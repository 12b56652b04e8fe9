namespace Messenger.Server.Cluster;

/// <summary>What a login or resume on this node may do with the user's session, cluster-wide.</summary>
public enum ClaimResult
{
    /// <summary>No node holds a session: a new login (announced to everyone).</summary>
    Fresh,

    /// <summary>Another node held it and let it go (or died): the session moves here, nobody sees a logout.</summary>
    Moved,

    /// <summary>A live node holds a session that is attached: "already logged in elsewhere".</summary>
    Refused,

    /// <summary>The holding node did not answer in time: try again.</summary>
    Unavailable,

    /// <summary>A resume whose token does not match the cluster's record.</summary>
    BadToken,

    /// <summary>The record (PostgreSQL) could not be read: nothing is known, so nothing is granted.</summary>
    StoreFailed,
}
