namespace Messenger.Security;

/// <summary>
/// The user name rule (1..32 of [A-Za-z0-9_.-]). It is the same rule as Messenger.Protocol's UserNames; it is
/// repeated here so that the security library depends on nothing but the BCL.
/// </summary>
internal static class UserNameRule
{
    public const int MaxLength = 32;

    public const string Description = "1..32 characters of A-Z a-z 0-9 _ . -";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength)
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
