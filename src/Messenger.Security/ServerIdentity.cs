using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Messenger.Security;

/// <summary>
/// The server's long-lived TLS and ticket-signing identity: a self-signed certificate kept as PKCS#12 in the
/// data directory, created on first start and reused after, because clients pin its key.
/// </summary>
public sealed class ServerIdentity : IDisposable
{
    public const string DefaultFileName = "server.p12";

    private ServerIdentity(X509Certificate2 certificate, bool created)
    {
        Certificate = certificate;
        Created = created;
        SpkiFingerprint = Fingerprints.SpkiSha256(certificate);
        CertificateFingerprint = Fingerprints.CertificateSha256(certificate);
    }

    /// <summary>The certificate with its private key, ready for SslStream and for <see cref="TicketSigner"/>.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>The SHA-256 SPKI fingerprint clients pin.</summary>
    public string SpkiFingerprint { get; }

    public string CertificateFingerprint { get; }

    /// <summary>True when this call made a new identity (worth a log line: clients will see a new fingerprint).</summary>
    public bool Created { get; }

    /// <summary>
    /// Loads the identity at <paramref name="path"/>, or creates and saves one (mode 0600) when there is none.
    /// A file that exists but cannot be used is an error, never silently replaced: that would break every pin.
    /// </summary>
    /// <exception cref="InvalidDataException">The file exists but is not a usable identity; the message says what to do.</exception>
    public static ServerIdentity LoadOrCreate(string path, string subjectCommonName, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (File.Exists(path))
        {
            return new ServerIdentity(Load(path), created: false);
        }
        var certificate = CertificateFactory.CreateSelfSigned(subjectCommonName, timeProvider);
        try
        {
            CertificateFactory.SavePkcs12(certificate, path, password: null, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it between our check and our rename: use theirs, so both agree.
            certificate.Dispose();
            return new ServerIdentity(Load(path), created: false);
        }
        return new ServerIdentity(certificate, created: true);
    }

    public void Dispose() => Certificate.Dispose();

    private static X509Certificate2 Load(string path)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = CertificateFactory.LoadPkcs12(path);
        }
        catch (CryptographicException ex)
        {
            throw new InvalidDataException(
                $"Cannot read the server identity '{path}' ({ex.Message}). Restore it, or move it away to create a new one (clients that pinned the old key will then refuse the server until they forget it).", ex);
        }
        if (!certificate.HasPrivateKey)
        {
            certificate.Dispose();
            throw new InvalidDataException($"The server identity '{path}' has no private key. Restore it, or move it away to create a new one.");
        }
        return certificate;
    }
}
