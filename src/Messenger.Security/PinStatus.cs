namespace Messenger.Security;

/// <summary>What <see cref="KnownServers.Check"/> found.</summary>
public enum PinStatus
{
    /// <summary>The server changed its key, or someone is in the middle: refuse. Zero so that a default never reads as trusted.</summary>
    Mismatch = 0,

    /// <summary>No pin existed; the presented fingerprint is pinned now (trust on first use).</summary>
    FirstUse = 1,

    /// <summary>The presented fingerprint is the pinned one.</summary>
    Match = 2,
}
