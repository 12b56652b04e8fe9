using System.Security.Cryptography.X509Certificates;
using Messenger.Security;

namespace Messenger.Client.Peers;

/// <summary>
/// This client's own key pair and self-signed certificate (ECDSA P-256), made fresh at every start: peers know it only
/// through the server, which names its fingerprint in the tickets it signs.
/// </summary>
public sealed class PeerIdentity : IDisposable
{
    private PeerIdentity(X509Certificate2 certificate)
    {
        Certificate = certificate;
        Fingerprint = Fingerprints.SpkiSha256(certificate);
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>SPKI SHA-256, registered with the server at login.</summary>
    public string Fingerprint { get; }

    public static PeerIdentity Create()
    {
        using var created = CertificateFactory.CreateSelfSigned("MessengerSuite peer");
        // A round trip through PKCS#12 gives a key SslStream can use as a server certificate on every platform.
        return new PeerIdentity(CertificateFactory.ImportPkcs12(CertificateFactory.ExportPkcs12(created)));
    }

    public void Dispose() => Certificate.Dispose();
}
