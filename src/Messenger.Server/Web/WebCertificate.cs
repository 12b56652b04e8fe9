using System.Security.Cryptography.X509Certificates;
using Messenger.Server.Hosting;

namespace Messenger.Server.Web;

/// <summary>
/// The web port's certificate, from the operator: browsers check it against their trusted roots (they cannot pin a
/// key as our terminal client does), so it is a separate setting from the protocol port's generated identity.
/// </summary>
public static class WebCertificate
{
    public static X509Certificate2? Load(ServerOptions options)
    {
        if (options.WebCertificatePath is not { } path)
        {
            return null;
        }
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".p12" or ".pfx")
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, options.WebCertificatePassword);
        }
        var keyPath = options.WebCertificateKeyPath ?? path;
        using var pem = options.WebCertificatePassword is { } password
            ? X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath)
            : X509Certificate2.CreateFromPemFile(path, keyPath);
        // A PEM-born key is ephemeral; SslStream on Linux is fine with it, but export once so it lives with the certificate.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
