using System.Security.Cryptography;
using System.Text;

namespace Messenger.Security;

/// <summary>PBKDF2-SHA256 password hashes for the credentials file, and constant-time checks of both entry kinds.</summary>
public static class PasswordHasher
{
    /// <summary>
    /// 210,000 iterations: the project's chosen default (OWASP's 2021 figure). The count is stored in every entry,
    /// so raising it later leaves existing entries valid.
    /// </summary>
    public const int DefaultIterations = 210_000;

    /// <summary>16 bytes (128 bits) of salt, as NIST SP 800-132 recommends at least.</summary>
    public const int SaltLength = 16;

    /// <summary>32 bytes: the full SHA-256 output; more would only add PBKDF2 blocks, not strength.</summary>
    public const int HashLength = 32;

    /// <summary>Hashes <paramref name="password"/> with a fresh random salt, returning the text form.</summary>
    /// <param name="iterations">PBKDF2 iteration count; tests use a low one for speed.</param>
    public static string Hash(string password, int iterations = DefaultIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, PasswordHash.MinIterations);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(iterations, PasswordHash.MaxIterations);
        var salt = RandomNumberGenerator.GetBytes(SaltLength);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashLength);
        return new PasswordHash(iterations, salt, hash).ToString();
    }

    /// <summary>Checks <paramref name="password"/> against a hash entry in constant time.</summary>
    /// <exception cref="FormatException"><paramref name="encoded"/> is not a well-formed entry; the message says how.</exception>
    public static bool Verify(string password, string encoded)
    {
        ArgumentNullException.ThrowIfNull(password);
        return PasswordHash.Parse(encoded).Matches(password);
    }

    /// <summary>
    /// Compares a classic plaintext password in constant time. Both sides are reduced to fixed-length SHA-256
    /// digests first, because <see cref="CryptographicOperations.FixedTimeEquals"/> returns early on a length
    /// difference and would leak the stored password's length.
    /// </summary>
    public static bool VerifyPlain(string password, string expected)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(expected);
        return MatchesPlainDigest(password, PlainDigest(expected));
    }

    /// <summary>True when <paramref name="text"/> is meant as a hash entry rather than a plaintext password.</summary>
    public static bool IsHashEntry(string text) => text.StartsWith(PasswordHash.Prefix, StringComparison.Ordinal);

    internal static byte[] PlainDigest(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));

    internal static bool MatchesPlainDigest(string password, ReadOnlySpan<byte> expectedDigest)
    {
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(password), digest);
        return CryptographicOperations.FixedTimeEquals(digest, expectedDigest);
    }
}
