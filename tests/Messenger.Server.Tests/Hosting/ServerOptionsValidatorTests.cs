using Messenger.Server.Cluster;
using Messenger.Server.Hosting;

namespace Messenger.Server.Tests.Hosting;

/// <summary>Issue 13, item 5: settings are checked when the host starts, each bad one named as the operator wrote it.</summary>
[TestClass]
public sealed class ServerOptionsValidatorTests
{
    private static IReadOnlyList<string> Problems(ServerOptions options) =>
        new ServerOptionsValidator().Validate(null, options).Failures?.ToList() ?? [];

    [TestMethod]
    public void TheDefaultsAndTheTestServersSettingsAreValid()
    {
        Assert.AreEqual(0, Problems(new ServerOptions()).Count);
        Assert.AreEqual(0, Problems(new ServerOptions { Port = 0, ListenAddress = "127.0.0.1", OutboundQueueBytes = 64 * 1024 }).Count);
    }

    [TestMethod]
    public void ANegativeTimeoutIsRefusedByNameWithTheValueGiven()
    {
        var problems = Problems(new ServerOptions { SweepInterval = TimeSpan.FromSeconds(-1) });

        Assert.AreEqual("Server:SweepInterval must be a positive time span such as 00:00:30 (got -00:00:01).", problems.Single());
    }

    [TestMethod]
    public void EveryBadSettingIsReportedAtOnceNotOnlyTheFirst()
    {
        var problems = Problems(new ServerOptions
        {
            Port = 70000, ListenAddress = "localhost", IdleTimeout = TimeSpan.Zero, ResumeGracePeriod = TimeSpan.FromSeconds(-1),
            MaxMessagesPerSecond = 0, OutboundQueueBytes = 1000, CredentialsPath = " ",
        });

        CollectionAssert.AreEquivalent(new[]
        {
            "Server:Port must be from 0 to 65535 (got 70000).",
            "Server:ListenAddress must be an IP address such as 127.0.0.1 or :: (got 'localhost').",
            "Server:CredentialsPath must not be empty.",
            "Server:IdleTimeout must be a positive time span such as 00:00:30 (got 00:00:00).",
            "Server:ResumeGracePeriod must not be negative (got -00:00:01).",
            "Server:MaxMessagesPerSecond must be greater than 0 (got 0).",
            "Server:OutboundQueueBytes must be at least 65536 (one control frame; got 1000).",
        }, problems.ToList());
    }

    [TestMethod]
    public void AResumeGracePeriodOfZeroIsAllowedItMeansLogOutAtOnce()
    {
        Assert.AreEqual(0, Problems(new ServerOptions { ResumeGracePeriod = TimeSpan.Zero }).Count);
    }

    [TestMethod]
    public void EveryCountAndTimeSpanSettingIsChecked()
    {
        // A setting added later without a rule here would let a zero or negative value through to a timer or a limit.
        var zeroed = new ServerOptions();
        foreach (var property in typeof(ServerOptions).GetProperties().Where(p => p.PropertyType == typeof(int) || p.PropertyType == typeof(TimeSpan)))
        {
            if (property.Name is nameof(ServerOptions.Port) or nameof(ServerOptions.ResumeGracePeriod))
            {
                continue; // 0 is meaningful for both: a port chosen by the system, an immediate logout
            }
            var bad = property.PropertyType == typeof(int) ? (object)0 : TimeSpan.Zero;
            var options = zeroed with { };
            property.SetValue(options, bad);

            Assert.IsTrue(Problems(options).Any(p => p.StartsWith($"Server:{property.Name} ", StringComparison.Ordinal)), $"{property.Name} = {bad} passed");
        }
    }

    [TestMethod]
    public void EveryClusterTimeSpanSettingIsCheckedByItsFullName()
    {
        var valid = new ServerOptions { Cluster = new ClusterOptions { PostgreSql = "Host=db", Redis = "bus:6379" } };
        Assert.AreEqual(0, Problems(valid).Count);
        foreach (var property in typeof(ClusterOptions).GetProperties()
                     .Where(p => p.PropertyType == typeof(TimeSpan) && p.Name != nameof(ClusterOptions.WriteGather)))
        {
            var cluster = valid.Cluster! with { };
            property.SetValue(cluster, TimeSpan.Zero);

            Assert.AreEqual($"Server:Cluster:{property.Name} must be a positive time span such as 00:00:30 (got 00:00:00).",
                Problems(valid with { Cluster = cluster }).Single());
        }
    }

    [TestMethod]
    public void AClusterWriteGatherOfZeroMeansNeverGatherAndANegativeOneIsRefusedByName()
    {
        var cluster = new ClusterOptions { PostgreSql = "Host=db", Redis = "bus:6379", WriteGather = TimeSpan.Zero };
        Assert.AreEqual(0, Problems(new ServerOptions { Cluster = cluster }).Count);

        var problems = Problems(new ServerOptions { Cluster = cluster with { WriteGather = TimeSpan.FromMilliseconds(-1) } });

        Assert.AreEqual("Server:Cluster:WriteGather must not be negative (got -00:00:00.0010000).", problems.Single());
    }
}
