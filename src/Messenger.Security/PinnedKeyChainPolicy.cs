using System.Security.Cryptography.X509Certificates;

namespace Messenger.Security;

/// <summary>
/// The X.509 chain policy for TLS connections whose trust is a pinned key (the server's SPKI, a peer's key named in a
/// ticket), never a certificate authority. SslStream builds a chain for the remote certificate before the validation
/// callback runs, and on Linux the default policy copies every system root into a fresh OpenSSL store for each build
/// (~140 inserts, each re-sorting the store: dotnet/runtime#99242), about 0.4 ms of CPU per handshake for a verdict
/// the pin ignores. An empty custom root store skips that work; the callback and the pin decide exactly as before.
/// </summary>
public static class PinnedKeyChainPolicy
{
    public static X509ChainPolicy Create() => new()
    {
        // No roots at all: a CA can vouch for nothing here, the pinned key is the only trust.
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        RevocationMode = X509RevocationMode.NoCheck,
        // Never fetch issuers from URLs that a remote certificate names.
        DisableCertificateDownloads = true,
    };
}
