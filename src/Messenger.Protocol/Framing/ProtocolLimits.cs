namespace Messenger.Protocol.Framing;

/// <summary>
/// Named limits, checked before any buffer is sized from a peer-supplied number (docs/PROTOCOL.md §3).
/// </summary>
public static class ProtocolLimits
{
    /// <summary>Largest payload of any frame: one chunk (1 MiB) plus headroom for its small JSON siblings.</summary>
    public const int MaxPayloadLength = 1024 * 1024 + 4096;

    /// <summary>Largest payload accepted before a connection has logged in: a login never needs more.</summary>
    public const int MaxPreLoginPayloadLength = 4096;

    /// <summary>Largest control (JSON) payload after login: a message of MaxTextLength bytes escaped, plus fields.</summary>
    public const int MaxControlPayloadLength = 64 * 1024;

    /// <summary>Message text, counted in UTF-8 bytes after trimming the command word.</summary>
    public const int MaxTextLength = 4000;

    /// <summary>User names: 1..32 characters of letters, digits, '_', '-' and '.'.</summary>
    public const int MaxUserNameLength = 32;

    /// <summary>Passwords as typed: generous, but bounded so hashing cost is bounded.</summary>
    public const int MaxPasswordLength = 256;
}
