using System.Security.Cryptography.X509Certificates;
using Messenger.Security;

namespace Messenger.Server.Hosting;

/// <summary>
/// The server's TLS identity: an operator-supplied PKCS#12 file when configured, otherwise server.p12 in the data
/// directory, created (ECDSA P-256, owner-only file mode) on first start and reused after.
/// </summary>
public static class ServerCertificate
{
    public const string SubjectName = "MessengerSuite server";

    public static X509Certificate2 Load(ServerOptions options)
    {
        if (options.CertificatePath is { } path)
        {
            return CertificateFactory.LoadPkcs12(path, options.CertificatePassword);
        }
        Directory.CreateDirectory(options.DataDirectory);
        using var identity = ServerIdentity.LoadOrCreate(options.ResolveCertificatePath(), SubjectName);
        // Detach the certificate from the identity's lifetime: the server keeps it for as long as it runs.
        return CertificateFactory.ImportPkcs12(CertificateFactory.ExportPkcs12(identity.Certificate));
    }
}
