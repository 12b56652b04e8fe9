using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Messenger.Security;

/// <summary>
/// Self-signed ECDSA P-256 certificates for the server's TLS identity and for each client's private-session
/// identity, and their PKCS#12 files.
/// </summary>
public static class CertificateFactory
{
    /// <summary>Validity: 10 years. Peers pin the key, not a CA chain, so a long life only spares needless re-pinning.</summary>
    public const int ValidityYears = 10;

    /// <summary>Back-date NotBefore by an hour so that a peer whose clock is a little behind accepts a brand-new certificate.</summary>
    public static readonly TimeSpan Backdate = TimeSpan.FromHours(1);

    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>
    /// Creates a certificate with subject <c>CN=<paramref name="commonName"/></c>, usable for both TLS sides
    /// (serverAuth + clientAuth) and for signing CMS tickets; SANs DNS localhost and IP 127.0.0.1 / ::1.
    /// </summary>
    public static X509Certificate2 CreateSelfSigned(string commonName, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(commonName);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        san.AddIpAddress(IPAddress.IPv6Loopback);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ServerAuthOid), new Oid(ClientAuthOid)], critical: false));
        request.CertificateExtensions.Add(san.Build());
        // The subject key identifier lets a CMS signer name this certificate (SubjectIdentifierType.SubjectKeyIdentifier).
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        using var created = request.CreateSelfSigned(now - Backdate, now.AddYears(ValidityYears));
        // Export and re-import: the key then belongs to the certificate the platform's TLS stack loads, which
        // SslStream needs on Windows and is the form a reloaded file has everywhere, so both behave the same.
        return ImportPkcs12(ExportPkcs12(created));
    }

    /// <summary>A random password for a PKCS#12 file that is stored apart from its password.</summary>
    public static string NewPkcs12Password() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    /// <summary>Exports certificate and private key, encrypted with AES-256 (PBES2, SHA-256); null means an empty password.</summary>
    public static byte[] ExportPkcs12(X509Certificate2 certificate, string? password = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("The certificate has no private key to export.", nameof(certificate));
        }
        return certificate.ExportPkcs12(Pkcs12ExportPbeParameters.Pbes2Aes256Sha256, password ?? "");
    }

    /// <exception cref="CryptographicException">Not PKCS#12, or the wrong password.</exception>
    public static X509Certificate2 ImportPkcs12(byte[] pkcs12, string? password = null)
        => X509CertificateLoader.LoadPkcs12(pkcs12, password ?? "", X509KeyStorageFlags.Exportable);

    /// <exception cref="CryptographicException">Not PKCS#12, or the wrong password.</exception>
    public static X509Certificate2 LoadPkcs12(string path, string? password = null)
        => X509CertificateLoader.LoadPkcs12FromFile(path, password ?? "", X509KeyStorageFlags.Exportable);

    /// <summary>Writes the PKCS#12 file atomically with mode 0600 on Unix (it holds a private key).</summary>
    /// <exception cref="IOException"><paramref name="overwrite"/> is false and the file exists.</exception>
    public static void SavePkcs12(X509Certificate2 certificate, string path, string? password = null, bool overwrite = true)
        => SecureFile.WriteAtomically(path, ExportPkcs12(certificate, password), overwrite);
}
