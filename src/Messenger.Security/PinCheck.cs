namespace Messenger.Security;

/// <summary>The verdict on a server's fingerprint, with a message fit to show the user.</summary>
/// <param name="Endpoint">The <c>host:port</c> key, as written in the known_servers file.</param>
/// <param name="Expected">The pinned fingerprint; null on first use.</param>
/// <param name="Actual">The fingerprint the server presented.</param>
public sealed record PinCheck(PinStatus Status, string Endpoint, string? Expected, string Actual)
{
    public bool IsTrusted => Status is PinStatus.FirstUse or PinStatus.Match;

    public string Message => Status switch
    {
        PinStatus.FirstUse => $"First connection to {Endpoint}: pinned its key sha256-spki {Actual}.",
        PinStatus.Match => $"{Endpoint} presented its pinned key.",
        _ => $"REFUSED: the key of {Endpoint} has CHANGED. Pinned sha256-spki {Expected}, presented {Actual}. "
            + "Someone may be intercepting the connection, or the server was given a new identity. "
            + $"If you know the change is genuine, forget the pin for {Endpoint} and connect again.",
    };

    public override string ToString() => Message;
}
