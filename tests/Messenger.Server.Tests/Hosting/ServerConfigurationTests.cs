using Messenger.Server.Hosting;

namespace Messenger.Server.Tests.Hosting;

/// <summary>
/// The server's settings file is bound by the configuration source generator (the Native AOT build has no reflection
/// binder), which skips init-only properties without a word: these prove the values arrive, the cluster section too.
/// </summary>
[TestClass]
public sealed class ServerConfigurationTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task SettingsInTheConfigFileReachTheOptionsAndThePositionalArgumentsWin()
    {
        var folder = Directory.CreateTempSubdirectory("messenger-server-config-").FullName;
        try
        {
            var path = Path.Combine(folder, "server.json");
            await File.WriteAllTextAsync(path, """
                { "Server": { "Port": 1, "AllowRegistration": true, "MaxMessagesPerSecond": 7, "LoginTimeout": "00:00:09",
                  "AdminUsers": [ "alice" ], "DataDirectory": "from-file",
                  "Cluster": { "PostgreSql": "Host=db", "Redis": "cache:6379", "NodeId": "n1" } } }
                """, TestContext.CancellationToken);

            var options = ServerConfiguration.Build(new ServerArguments(5000, 30, 60) { ConfigPath = path });

            Assert.IsTrue(options.AllowRegistration);
            Assert.AreEqual(7, options.MaxMessagesPerSecond);
            Assert.AreEqual(TimeSpan.FromSeconds(9), options.LoginTimeout);
            CollectionAssert.AreEqual(new[] { "alice" }, options.AdminUsers.ToArray());
            Assert.AreEqual("from-file", options.DataDirectory);
            Assert.AreEqual("Host=db", options.Cluster?.PostgreSql);
            Assert.AreEqual("cache:6379", options.Cluster?.Redis);
            Assert.AreEqual("n1", options.Cluster?.NodeId);
            Assert.AreEqual(5000, options.Port);
            Assert.AreEqual(TimeSpan.FromSeconds(30), options.BlockDuration);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
