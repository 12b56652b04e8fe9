using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Messenger.Client.Connection;

/// <summary>The client's side of the TLS handshake with the server: the key it presents is checked against the pin, not a CA.</summary>
internal static class ServerTls
{
    /// <summary>The TLS stream over <paramref name="network"/>, the trust notice for the user (or null), and the server's key.</summary>
    public static async Task<(Stream Stream, string? Notice, string ServerKey)> AuthenticateAsync(Stream network, string host, int port, ServerTrust trust, CancellationToken cancellationToken)
    {
        X509Certificate2? presented = null;
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                // No system roots in the chain SslStream builds before the callback: costly, and its verdict is unused.
                CertificateChainPolicy = Messenger.Security.PinnedKeyChainPolicy.Create(),
                // The pin below is the trust decision (like SSH); the certificate is self-signed, so no CA check.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate as X509Certificate2 ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                    return certificate is not null;
                },
            }, deadline.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            await tls.DisposeAsync();
            throw new IOException(
                $"TLS handshake with {host}:{port} failed ({ex.Message}). If the server runs in plaintext mode, both sides must opt in to plaintext.", ex);
        }
        try
        {
            return (tls, trust.Verify(presented!), Messenger.Security.Fingerprints.SpkiSha256(presented!));
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }
}
