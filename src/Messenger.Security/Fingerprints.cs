using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Messenger.Security;

/// <summary>
/// SHA-256 fingerprints written as uppercase hex pairs joined by colons (<c>AB:CD:...</c>, 95 characters).
/// Pins and tickets use the SPKI form: it names the key, so it survives re-issuing a certificate for the same key.
/// </summary>
public static class Fingerprints
{
    public const int DigestLength = 32;

    /// <summary>Length of the text form: 32 hex pairs and 31 colons.</summary>
    public const int TextLength = DigestLength * 3 - 1;

    /// <summary>SHA-256 of the whole certificate (DER).</summary>
    public static string CertificateSha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Format(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    /// <summary>SHA-256 of the certificate's SubjectPublicKeyInfo (DER), as in RFC 7469 pinning.</summary>
    public static string SpkiSha256(X509Certificate2 certificate) => Format(SpkiSha256Digest(certificate));

    public static string Format(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != DigestLength)
        {
            throw new ArgumentException($"A SHA-256 digest is {DigestLength} bytes, not {digest.Length}.", nameof(digest));
        }
        var hex = Convert.ToHexString(digest);
        return string.Create(TextLength, hex, static (span, hex) =>
        {
            for (var i = 0; i < DigestLength; i++)
            {
                span[i * 3] = hex[i * 2];
                span[i * 3 + 1] = hex[i * 2 + 1];
                if (i < DigestLength - 1)
                {
                    span[i * 3 + 2] = ':';
                }
            }
        });
    }

    /// <summary>Accepts 64 hex digits, or 32 hex pairs separated by colons, in any case.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out byte[]? digest)
    {
        digest = null;
        if (text is null)
        {
            return false;
        }
        Span<char> hex = stackalloc char[DigestLength * 2];
        if (text.Length == DigestLength * 2)
        {
            text.AsSpan().CopyTo(hex);
        }
        else if (text.Length == TextLength)
        {
            for (var i = 0; i < DigestLength; i++)
            {
                if (i < DigestLength - 1 && text[i * 3 + 2] != ':')
                {
                    return false;
                }
                hex[i * 2] = text[i * 3];
                hex[i * 2 + 1] = text[i * 3 + 1];
            }
        }
        else
        {
            return false;
        }
        var bytes = new byte[DigestLength];
        if (Convert.FromHexString(hex, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != DigestLength)
        {
            return false;
        }
        digest = bytes;
        return true;
    }

    /// <exception cref="FormatException">Not a SHA-256 fingerprint.</exception>
    public static byte[] Parse(string text)
        => TryParse(text, out var digest) ? digest : throw new FormatException("A SHA-256 fingerprint is 64 hex digits, optionally as colon-separated pairs.");

    /// <summary>Rewrites any accepted form into the canonical one.</summary>
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? normalized)
    {
        normalized = TryParse(text, out var digest) ? Format(digest) : null;
        return normalized is not null;
    }

    /// <exception cref="FormatException">Not a SHA-256 fingerprint.</exception>
    public static string Normalize(string text) => Format(Parse(text));

    /// <summary>Compares two fingerprints in any accepted form, in constant time; anything unparsable is unequal.</summary>
    public static bool AreEqual(string? left, string? right)
    {
        var leftOk = TryParse(left, out var a);
        var rightOk = TryParse(right, out var b);
        return leftOk && rightOk && CryptographicOperations.FixedTimeEquals(a, b);
    }

    /// <summary>Compares two digests in constant time (for equal lengths).</summary>
    public static bool AreEqual(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) => CryptographicOperations.FixedTimeEquals(left, right);

    internal static byte[] SpkiSha256Digest(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());
    }
}
