using Messenger.Protocol.Framing;

namespace Messenger.Protocol;

/// <summary>The one rule for user names, shared by server, client and credentials file: 1..32 of [A-Za-z0-9_.-].</summary>
public static class UserNames
{
    /// <summary>The rule in words, for error messages.</summary>
    public const string Description = "1..32 characters of A-Z a-z 0-9 _ . -";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > ProtocolLimits.MaxUserNameLength)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }
        return true;
    }
}
