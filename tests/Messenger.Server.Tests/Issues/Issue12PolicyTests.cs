using Messenger.Server.Auth;
using Messenger.Server.Sessions;
using Messenger.Server.Swarm;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Issues;

/// <summary>Issue 12, holes 4-6, at the level of the rules themselves.</summary>
[TestClass]
public sealed class Issue12PolicyTests
{
    [TestMethod]
    [DataRow("0.0.0.0", "198.51.100.1", DisplayName = "IPv4 wildcard")]
    [DataRow("::", "198.51.100.1", DisplayName = "IPv6 wildcard")]
    [DataRow("255.255.255.255", "198.51.100.1", DisplayName = "broadcast")]
    [DataRow("239.1.2.3", "198.51.100.1", DisplayName = "multicast")]
    [DataRow("ff05::2", "198.51.100.1", DisplayName = "IPv6 multicast")]
    [DataRow("127.0.0.1", "198.51.100.1", DisplayName = "loopback from afar")]
    [DataRow("::1", "198.51.100.1", DisplayName = "IPv6 loopback from afar")]
    [DataRow("example.com", "198.51.100.1", DisplayName = "a host name")]
    [DataRow("127.1", "127.0.0.1", DisplayName = "shorthand IPv4")]
    public void AnAdvertisedHostThatNamesNoSingleReachableHostIsRefusedEvenWhenAllowed(string advertised, string connection)
    {
        var (host, refused) = PeerAddressPolicy.Choose(advertised, connection, allowAdvertised: true);

        Assert.IsNull(host, "peers get the connection's own address");
        Assert.IsNotNull(refused);
    }

    [TestMethod]
    public void AnAdvertisedHostIsRefusedUnlessTheOperatorAllowsIt()
    {
        Assert.IsNotNull(PeerAddressPolicy.Choose("198.51.100.7", "203.0.113.9", allowAdvertised: false).Refused);
        Assert.AreEqual("198.51.100.7", PeerAddressPolicy.Choose("198.51.100.7", "203.0.113.9", allowAdvertised: true).Host);
        Assert.AreEqual("127.0.0.2", PeerAddressPolicy.Choose("127.0.0.2", "127.0.0.1", allowAdvertised: true).Host, "loopback for a loopback connection");
        Assert.AreEqual((null, null), PeerAddressPolicy.Choose(null, "203.0.113.9", allowAdvertised: false), "nothing advertised, nothing to say");
    }

    [TestMethod]
    public void OnlyADownloaderGivenThatOwnerCanReportItAndOneReporterCannotDelistIt()
    {
        var reports = new SwarmReports();
        const string File = "f";
        Assert.AreEqual(ReportOutcome.NotGranted, reports.Report("mallory", File, "bob"), "never given bob for this file");

        reports.Granted("carol", File, ["bob"]);
        Assert.AreEqual(ReportOutcome.AvoidedForReporter, reports.Report("carol", File, "bob"));
        Assert.AreEqual(ReportOutcome.AvoidedForReporter, reports.Report("carol", File, "bob"), "the same reporter again counts once");
        Assert.IsTrue(reports.Reported("carol", File, "bob"));
        Assert.IsFalse(reports.Reported("dave", File, "bob"), "others still get bob");

        reports.Granted("dave", File, ["bob"]);
        reports.Granted("erin", File, ["bob"]);
        Assert.AreEqual(ReportOutcome.AvoidedForReporter, reports.Report("dave", File, "bob"));
        Assert.AreEqual(ReportOutcome.Delisted, reports.Report("erin", File, "bob"), "three distinct downloaders drop bob for all");
    }

    [TestMethod]
    public void AFinishedOrAbandonedDownloadCanNoLongerReport()
    {
        var reports = new SwarmReports();
        reports.Granted("carol", "f", ["bob"]);
        reports.Granted("carol", "g", ["bob"]);
        reports.DownloadFinished("carol", "f");
        reports.DownloaderLeft("carol");

        Assert.AreEqual(ReportOutcome.NotGranted, reports.Report("carol", "f", "bob"));
        Assert.AreEqual(ReportOutcome.NotGranted, reports.Report("carol", "g", "bob"));
    }

    [TestMethod]
    public void FailedLoginsAreLimitedPerAddressAndNameNotPerAddress()
    {
        var clock = new FakeTimeProvider();
        var limiter = new LoginRateLimiter(clock, attemptsPerAddressPerMinute: 600, failuresPerAddressAndUserPerMinute: 10);
        for (var i = 0; i < 10; i++)
        {
            Assert.IsTrue(limiter.MayTry("10.0.0.1", "bob"));
            limiter.Failed("10.0.0.1", "bob");
        }

        Assert.IsFalse(limiter.MayTry("10.0.0.1", "bob"), "ten failures for bob from this address: wait");
        Assert.IsTrue(limiter.MayTry("10.0.0.1", "alice"), "alice at the same address is not affected");
        Assert.IsTrue(limiter.MayTry("10.0.0.2", "bob"), "nor bob from elsewhere");
        clock.Advance(TimeSpan.FromSeconds(6));
        Assert.IsTrue(limiter.MayTry("10.0.0.1", "bob"), "the bucket refills: one more try after a tenth of a minute");
    }
}
