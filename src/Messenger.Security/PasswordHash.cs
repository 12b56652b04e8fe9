using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;

namespace Messenger.Security;

/// <summary>
/// A parsed PBKDF2-SHA256 password entry, <c>$pbkdf2-sha256$&lt;iterations&gt;$&lt;salt base64&gt;$&lt;hash base64&gt;</c>.
/// Salt and iteration count live in the entry, so old entries keep working when the default count is raised.
/// </summary>
public sealed class PasswordHash
{
    public const string Prefix = "$pbkdf2-sha256$";

    public const int MinIterations = 1;

    /// <summary>Upper bound so that a mistyped or hostile entry cannot make one login burn minutes of CPU.</summary>
    public const int MaxIterations = 10_000_000;

    public const int MinSaltLength = 8;
    public const int MaxSaltLength = 64;
    public const int MinHashLength = 16;
    public const int MaxHashLength = 64;

    private readonly byte[] _salt;
    private readonly byte[] _hash;

    internal PasswordHash(int iterations, byte[] salt, byte[] hash)
    {
        Iterations = iterations;
        _salt = salt;
        _hash = hash;
    }

    public int Iterations { get; }

    public ReadOnlySpan<byte> Salt => _salt;

    public ReadOnlySpan<byte> Hash => _hash;

    /// <summary>Parses an entry; on failure <paramref name="error"/> says what is wrong (never echoing the input, which may be a password).</summary>
    public static bool TryParse(string? encoded, [NotNullWhen(true)] out PasswordHash? hash, [NotNullWhen(false)] out string? error)
    {
        hash = null;
        if (encoded is null || !encoded.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"a password hash must start with '{Prefix}'";
            return false;
        }
        var parts = encoded[Prefix.Length..].Split('$');
        if (parts.Length != 3)
        {
            error = $"a password hash must be {Prefix}<iterations>$<salt base64>$<hash base64>";
            return false;
        }
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations)
            || iterations < MinIterations || iterations > MaxIterations)
        {
            error = $"the iteration count must be a whole number from {MinIterations} to {MaxIterations}";
            return false;
        }
        if (!TryDecode(parts[1], MinSaltLength, MaxSaltLength, out var salt))
        {
            error = $"the salt must be base64 of {MinSaltLength}..{MaxSaltLength} bytes";
            return false;
        }
        if (!TryDecode(parts[2], MinHashLength, MaxHashLength, out var digest))
        {
            error = $"the hash must be base64 of {MinHashLength}..{MaxHashLength} bytes";
            return false;
        }
        hash = new PasswordHash(iterations, salt, digest);
        error = null;
        return true;
    }

    /// <exception cref="FormatException">The entry is malformed; the message says how.</exception>
    public static PasswordHash Parse(string encoded)
        => TryParse(encoded, out var hash, out var error) ? hash : throw new FormatException($"Malformed password hash: {error}.");

    /// <summary>Derives the hash of <paramref name="password"/> with this entry's salt and count and compares in constant time.</summary>
    public bool Matches(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        Span<byte> derived = stackalloc byte[MaxHashLength];
        derived = derived[.._hash.Length];
        Rfc2898DeriveBytes.Pbkdf2(password, _salt, derived, Iterations, HashAlgorithmName.SHA256);
        return CryptographicOperations.FixedTimeEquals(derived, _hash);
    }

    /// <summary>The text form, as stored in the credentials file.</summary>
    public override string ToString()
        => string.Create(CultureInfo.InvariantCulture, $"{Prefix}{Iterations}${Convert.ToBase64String(_salt)}${Convert.ToBase64String(_hash)}");

    private static bool TryDecode(string text, int minLength, int maxLength, out byte[] bytes)
    {
        bytes = [];
        // Base64 of maxLength bytes is at most this long: refuse longer text before decoding anything.
        if (text.Length == 0 || text.Length > (maxLength + 2) / 3 * 4)
        {
            return false;
        }
        Span<byte> buffer = stackalloc byte[maxLength];
        if (!Convert.TryFromBase64String(text, buffer, out var written) || written < minLength)
        {
            return false;
        }
        bytes = buffer[..written].ToArray();
        return true;
    }
}
