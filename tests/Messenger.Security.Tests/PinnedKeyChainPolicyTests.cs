using System.Security.Cryptography.X509Certificates;

namespace Messenger.Security.Tests;

[TestClass]
public sealed class PinnedKeyChainPolicyTests
{
    [TestMethod]
    public void TrustsNoRootsChecksNoRevocationAndDownloadsNothing()
    {
        var policy = PinnedKeyChainPolicy.Create();

        Assert.AreEqual(X509ChainTrustMode.CustomRootTrust, policy.TrustMode);
        Assert.AreEqual(0, policy.CustomTrustStore.Count, "no CA may vouch for a remote key");
        Assert.AreEqual(X509RevocationMode.NoCheck, policy.RevocationMode);
        Assert.IsTrue(policy.DisableCertificateDownloads);
    }

    [TestMethod]
    public void ASelfSignedCertificateIsNotTrustedByTheChainSoOnlyThePinCanAcceptIt()
    {
        using var certificate = CertificateFactory.CreateSelfSigned("messenger-server");
        using var chain = new X509Chain { ChainPolicy = PinnedKeyChainPolicy.Create() };

        Assert.IsFalse(chain.Build(certificate));
        Assert.IsTrue(chain.ChainStatus.Any(s => s.Status.HasFlag(X509ChainStatusFlags.UntrustedRoot)));
    }

    [TestMethod]
    public void EachCallGivesAnIndependentPolicy()
    {
        var first = PinnedKeyChainPolicy.Create();
        using var certificate = CertificateFactory.CreateSelfSigned("someone");
        first.CustomTrustStore.Add(certificate);

        Assert.AreEqual(0, PinnedKeyChainPolicy.Create().CustomTrustStore.Count);
    }
}
