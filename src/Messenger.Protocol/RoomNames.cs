namespace Messenger.Protocol;

/// <summary>The one rule for room names: '#' then 1..32 of [A-Za-z0-9_-], compared without case.</summary>
public static class RoomNames
{
    public const int MaxLength = 33;

    /// <summary>The rule in words, for error messages.</summary>
    public const string Description = "a room name is '#' followed by 1 to 32 letters, digits, '_' or '-'";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length is < 2 or > MaxLength || name[0] != '#')
        {
            return false;
        }
        foreach (var c in name.AsSpan(1))
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True when <paramref name="target"/> names a room rather than a user (users cannot start with '#').</summary>
    public static bool IsRoomTarget(string target) => target.StartsWith('#');

    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;
}
