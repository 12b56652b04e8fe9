using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Messenger.Security;
using Messenger.Server.Hosting;

namespace Messenger.WebTests;

/// <summary>
/// A self-signed web certificate made when the test runs (never committed), written in one of the formats the web
/// port accepts into a temp folder that goes away with it.
/// </summary>
public sealed class ThrowawayCertificate : IDisposable
{
    private const string Password = "test-only-password";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "messenger-webcert-" + Guid.NewGuid().ToString("N"));

    public ThrowawayCertificate()
    {
        Directory.CreateDirectory(folder);
        Certificate = CertificateFactory.CreateSelfSigned("messenger-web-test");
    }

    public X509Certificate2 Certificate { get; }

    /// <summary>Writes the certificate as <paramref name="format"/> (pkcs12, pem, encrypted-pem) and returns the settings naming it.</summary>
    public ServerOptions Configure(ServerOptions options, string format)
    {
        var certificatePath = Path.Combine(folder, format == "pkcs12" ? "web.p12" : "web.crt");
        var keyPath = Path.Combine(folder, "web.key");
        using var key = Certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("An ECDSA test certificate has an ECDSA key.");
        switch (format)
        {
            case "pkcs12":
                File.WriteAllBytes(certificatePath, CertificateFactory.ExportPkcs12(Certificate, Password));
                return options with { WebCertificatePath = certificatePath, WebCertificatePassword = Password };
            case "pem":
                File.WriteAllText(certificatePath, Certificate.ExportCertificatePem());
                File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
                return options with { WebCertificatePath = certificatePath, WebCertificateKeyPath = keyPath };
            case "encrypted-pem":
                File.WriteAllText(certificatePath, Certificate.ExportCertificatePem());
                File.WriteAllText(keyPath, key.ExportEncryptedPkcs8PrivateKeyPem(Password,
                    new PbeParameters(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 100_000)));
                return options with { WebCertificatePath = certificatePath, WebCertificateKeyPath = keyPath, WebCertificatePassword = Password };
            default:
                throw new ArgumentException($"Unknown certificate format '{format}'.", nameof(format));
        }
    }

    public void Dispose()
    {
        Certificate.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
