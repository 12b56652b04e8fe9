using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Messenger.Security.Tests;

[TestClass]
public sealed class FingerprintsTests
{
    private static readonly Regex CanonicalForm = new("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", RegexOptions.CultureInvariant);

    [TestMethod]
    public void CertificateSha256_IsUppercaseColonHexOfTheCertificateHash()
    {
        using var certificate = CertificateFactory.CreateSelfSigned("a");

        var fingerprint = Fingerprints.CertificateSha256(certificate);

        Assert.MatchesRegex(CanonicalForm, fingerprint);
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(certificate.RawData)), fingerprint.Replace(":", "", StringComparison.Ordinal));
    }

    [TestMethod]
    public void SpkiSha256_IsTheHashOfTheSubjectPublicKeyInfo()
    {
        using var certificate = CertificateFactory.CreateSelfSigned("a");

        var fingerprint = Fingerprints.SpkiSha256(certificate);

        Assert.MatchesRegex(CanonicalForm, fingerprint);
        var expected = SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo());
        CollectionAssert.AreEqual(expected, Fingerprints.Parse(fingerprint));
        Assert.AreNotEqual(Fingerprints.CertificateSha256(certificate), fingerprint);
    }

    [TestMethod]
    public void SpkiSha256_NamesTheKey_SoTwoCertificatesForOneKeyShareIt()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=same-key", key, HashAlgorithmName.SHA256);
        using var first = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        using var second = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(2));

        Assert.AreEqual(Fingerprints.SpkiSha256(first), Fingerprints.SpkiSha256(second));
        Assert.AreNotEqual(Fingerprints.CertificateSha256(first), Fingerprints.CertificateSha256(second));
    }

    [TestMethod]
    public void Parse_AcceptsWithOrWithoutColons_InAnyCase()
    {
        var digest = Enumerable.Range(0xA0, 32).Select(i => (byte)i).ToArray();
        var canonical = Fingerprints.Format(digest);

        Assert.AreEqual("A0:A1:A2", canonical[..8]);
        CollectionAssert.AreEqual(digest, Fingerprints.Parse(canonical));
        CollectionAssert.AreEqual(digest, Fingerprints.Parse(canonical.ToLowerInvariant()));
        CollectionAssert.AreEqual(digest, Fingerprints.Parse(canonical.Replace(":", "", StringComparison.Ordinal)));
        CollectionAssert.AreEqual(digest, Fingerprints.Parse(Convert.ToHexStringLower(digest)));
        Assert.AreEqual(canonical, Fingerprints.Normalize(Convert.ToHexStringLower(digest)));
    }

    [TestMethod]
    [DataRow(null, DisplayName = "null")]
    [DataRow("", DisplayName = "empty")]
    [DataRow("AB:CD", DisplayName = "too short")]
    [DataRow("A0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF00", DisplayName = "too long")]
    [DataRow("G0A1A2A3A4A5A6A7A8A9AAABACADAEAFB0B1B2B3B4B5B6B7B8B9BABBBCBDBEBF", DisplayName = "not hex")]
    [DataRow("A0-A1-A2-A3-A4-A5-A6-A7-A8-A9-AA-AB-AC-AD-AE-AF-B0-B1-B2-B3-B4-B5-B6-B7-B8-B9-BA-BB-BC-BD-BE-BF", DisplayName = "wrong separator")]
    [DataRow("A0A:1:A2:A3:A4:A5:A6:A7:A8:A9:AA:AB:AC:AD:AE:AF:B0:B1:B2:B3:B4:B5:B6:B7:B8:B9:BA:BB:BC:BD:BE:BF", DisplayName = "misplaced colon")]
    public void TryParse_RefusesAnythingButASha256Fingerprint(string? text)
    {
        Assert.IsFalse(Fingerprints.TryParse(text, out _));
        Assert.IsFalse(Fingerprints.AreEqual(text, text), "garbage never equals anything, not even itself");
    }

    [TestMethod]
    public void AreEqual_ComparesDigestsNotSpelling()
    {
        using var a = CertificateFactory.CreateSelfSigned("a");
        using var b = CertificateFactory.CreateSelfSigned("b");
        var fingerprint = Fingerprints.SpkiSha256(a);

        Assert.IsTrue(Fingerprints.AreEqual(fingerprint, fingerprint.ToLowerInvariant().Replace(":", "", StringComparison.Ordinal)));
        Assert.IsFalse(Fingerprints.AreEqual(fingerprint, Fingerprints.SpkiSha256(b)));
    }

    [TestMethod]
    public void Format_WrongDigestLength_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => Fingerprints.Format(new byte[20]));
    }
}
