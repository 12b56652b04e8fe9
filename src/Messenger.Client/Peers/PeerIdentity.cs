using System.Security.Cryptography.X509Certificates;
using Messenger.Security;

namespace Messenger.Client.Peers;

/// <summary>
/// This client's own key pair and self-signed certificate (ECDSA P-256), made fresh at every start: peers know it only
/// through the server, which names its fingerprint in the tickets it signs. Making it (key generation, a PKCS#12 round
/// trip) runs on the thread pool from <see cref="Create"/> on, beside the connection to the server and the login prompt;
/// the first login request is the first thing that needs it. Its owner awaits it in <see cref="DisposeAsync"/>.
/// </summary>
public sealed class PeerIdentity : IAsyncDisposable
{
    private readonly Task<(X509Certificate2 Certificate, string Fingerprint)> making;

    private PeerIdentity(Task<(X509Certificate2, string)> making) => this.making = making;

    /// <summary>Starts making the key pair and certificate; returns at once.</summary>
    public static PeerIdentity Create() => new(Task.Run(() =>
    {
        // CreateSelfSigned already round-trips through PKCS#12, which gives SslStream a key it can serve with.
        var certificate = CertificateFactory.CreateSelfSigned("MessengerSuite peer");
        return (certificate, Fingerprints.SpkiSha256(certificate));
    }));

    /// <summary>The certificate presented to peers (both TLS sides).</summary>
    public async Task<X509Certificate2> GetCertificateAsync() => (await making).Certificate;

    /// <summary>SPKI SHA-256, registered with the server at login.</summary>
    public async Task<string> GetFingerprintAsync() => (await making).Fingerprint;

    public async ValueTask DisposeAsync() => (await making).Certificate.Dispose();
}
