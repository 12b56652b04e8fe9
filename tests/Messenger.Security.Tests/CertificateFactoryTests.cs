using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Security.Tests;

[TestClass]
public sealed class CertificateFactoryTests
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [TestMethod]
    public void CreateSelfSigned_IsEcdsaP256WithPrivateKey()
    {
        using var certificate = CertificateFactory.CreateSelfSigned("messenger-server");

        Assert.IsTrue(certificate.HasPrivateKey);
        using var publicKey = certificate.GetECDsaPublicKey();
        Assert.IsNotNull(publicKey);
        Assert.AreEqual(256, publicKey.KeySize);
        Assert.AreEqual("1.2.840.10045.3.1.7", publicKey.ExportParameters(includePrivateParameters: false).Curve.Oid.Value, "nistP256 / secp256r1");
        using var privateKey = certificate.GetECDsaPrivateKey();
        Assert.IsNotNull(privateKey);
    }

    [TestMethod]
    public void CreateSelfSigned_HasSubjectValidityUsagesAndLoopbackNames()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

        using var certificate = CertificateFactory.CreateSelfSigned("messenger-server", time);

        Assert.AreEqual("CN=messenger-server", certificate.Subject);
        Assert.AreEqual(certificate.Subject, certificate.Issuer);
        Assert.AreEqual(new DateTime(2030, 1, 2, 2, 4, 5, DateTimeKind.Utc), certificate.NotBefore.ToUniversalTime());
        Assert.AreEqual(new DateTime(2040, 1, 2, 3, 4, 5, DateTimeKind.Utc), certificate.NotAfter.ToUniversalTime());

        var usages = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value).ToArray();
        CollectionAssert.AreEquivalent(new[] { "1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2" }, usages);

        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        CollectionAssert.AreEqual(new[] { "localhost" }, san.EnumerateDnsNames().ToArray());
        CollectionAssert.Contains(san.EnumerateIPAddresses().ToArray(), IPAddress.Loopback);

        var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single();
        Assert.IsFalse(basic.CertificateAuthority);
        Assert.IsNotNull(certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().SingleOrDefault());
    }

    [TestMethod]
    public void CreateSelfSigned_EachCallMakesANewKey()
    {
        using var first = CertificateFactory.CreateSelfSigned("a");
        using var second = CertificateFactory.CreateSelfSigned("a");

        Assert.AreNotEqual(Fingerprints.SpkiSha256(first), Fingerprints.SpkiSha256(second));
    }

    [TestMethod]
    public void SavePkcs12_ThenLoad_KeepsKeyAndFingerprints_InAnOwnerOnlyFile()
    {
        using var folder = new TempFolder();
        var path = folder.File("server.p12");
        using var original = CertificateFactory.CreateSelfSigned("messenger-server");

        CertificateFactory.SavePkcs12(original, path);
        using var reloaded = CertificateFactory.LoadPkcs12(path);

        Assert.IsTrue(reloaded.HasPrivateKey);
        Assert.AreEqual(Fingerprints.SpkiSha256(original), Fingerprints.SpkiSha256(reloaded));
        Assert.AreEqual(Fingerprints.CertificateSha256(original), Fingerprints.CertificateSha256(reloaded));
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(OwnerOnly, File.GetUnixFileMode(path));
        }
        Assert.HasCount(1, Directory.GetFiles(folder.Path), "no temporary file is left behind");
    }

    [TestMethod]
    public void Pkcs12_WithRandomPassword_RoundTrips_AndRefusesAWrongPassword()
    {
        using var original = CertificateFactory.CreateSelfSigned("client-alice");
        var password = CertificateFactory.NewPkcs12Password();

        var bytes = CertificateFactory.ExportPkcs12(original, password);
        using var reloaded = CertificateFactory.ImportPkcs12(bytes, password);

        Assert.AreEqual(Fingerprints.SpkiSha256(original), Fingerprints.SpkiSha256(reloaded));
        Assert.IsTrue(reloaded.HasPrivateKey);
        Assert.ThrowsExactly<CryptographicException>(() => CertificateFactory.ImportPkcs12(bytes, "wrong"));
    }

    [TestMethod]
    public void LoadOrCreate_CreatesOnce_ThenReusesTheSameIdentity()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "data", ServerIdentity.DefaultFileName);

        using var first = ServerIdentity.LoadOrCreate(path, "messenger-server");
        using var second = ServerIdentity.LoadOrCreate(path, "messenger-server");

        Assert.IsTrue(first.Created);
        Assert.IsFalse(second.Created);
        Assert.AreEqual(first.SpkiFingerprint, second.SpkiFingerprint);
        Assert.AreEqual(first.CertificateFingerprint, second.CertificateFingerprint);
        Assert.IsTrue(second.Certificate.HasPrivateKey);
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(OwnerOnly, File.GetUnixFileMode(path));
        }
    }

    [TestMethod]
    public void LoadOrCreate_DamagedFile_IsAnErrorAndIsNotReplaced()
    {
        using var folder = new TempFolder();
        var path = folder.File(ServerIdentity.DefaultFileName);
        File.WriteAllBytes(path, [1, 2, 3, 4]);

        var error = Assert.ThrowsExactly<InvalidDataException>(() => ServerIdentity.LoadOrCreate(path, "messenger-server"));

        StringAssert.Contains(error.Message, path);
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4 }, File.ReadAllBytes(path));
    }

    [TestMethod]
    public async Task LoadedIdentity_CompletesMutualTlsHandshake_WithPinnedFingerprintsOnBothSides()
    {
        using var folder = new TempFolder();
        var path = folder.File(ServerIdentity.DefaultFileName);
        ServerIdentity.LoadOrCreate(path, "messenger-server").Dispose();
        using var server = ServerIdentity.LoadOrCreate(path, "messenger-server");
        using var client = CertificateFactory.CreateSelfSigned("client-alice");
        var clientSpki = Fingerprints.SpkiSha256(client);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var clientSocket = new TcpClient();
        await clientSocket.ConnectAsync(IPAddress.Loopback, port, deadline.Token);
        using var serverSocket = await listener.AcceptTcpClientAsync(deadline.Token);

        string? seenByClient = null;
        string? seenByServer = null;
        await using var serverTls = new SslStream(serverSocket.GetStream());
        await using var clientTls = new SslStream(clientSocket.GetStream());
        var serverSide = serverTls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(server.Certificate, additionalCertificates: null, offline: true),
            ClientCertificateRequired = true,
            // Peers are trusted by pinned key, not by a CA: accept exactly the expected client key.
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seenByServer = certificate is X509Certificate2 c ? Fingerprints.SpkiSha256(c) : null;
                return Fingerprints.AreEqual(seenByServer, clientSpki);
            },
        }, deadline.Token);
        var clientSide = clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost",
            ClientCertificateContext = SslStreamCertificateContext.Create(client, additionalCertificates: null, offline: true),
            RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            {
                seenByClient = certificate is X509Certificate2 c ? Fingerprints.SpkiSha256(c) : null;
                return Fingerprints.AreEqual(seenByClient, server.SpkiFingerprint);
            },
        }, deadline.Token);
        await Task.WhenAll(serverSide, clientSide);

        Assert.AreEqual(server.SpkiFingerprint, seenByClient);
        Assert.AreEqual(clientSpki, seenByServer);
        await clientTls.WriteAsync(new byte[] { 42 }, deadline.Token);
        var buffer = new byte[1];
        Assert.AreEqual(1, await serverTls.ReadAsync(buffer, deadline.Token));
        Assert.AreEqual(42, buffer[0]);
    }
}
