using Messenger.Client.Hosting;

namespace Messenger.Client.Tests.Hosting;

/// <summary>
/// The client's settings file is bound by the configuration source generator (the Native AOT build has no reflection
/// binder), which skips init-only properties without a word: these prove the values arrive.
/// </summary>
[TestClass]
public sealed class ClientConfigurationTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task SettingsInTheConfigFileReachTheOptionsAndTheCommandLineWins()
    {
        var folder = Directory.CreateTempSubdirectory("messenger-client-config-").FullName;
        try
        {
            var path = Path.Combine(folder, "client.json");
            await File.WriteAllTextAsync(path, """
                { "Client": { "LocalAddress": "127.0.0.1", "PeerPort": 4711, "ReconnectAttempts": 3, "ShareDirectory": "/srv/share",
                  "Servers": [ "a:1", "b:2" ], "StateDirectory": "from-file", "KeepAliveInterval": "00:00:07" } }
                """, TestContext.CancellationToken);

            var options = ClientConfiguration.Build(path, "example.org", 9000, stateDirectory: "from-command-line");

            Assert.AreEqual("127.0.0.1", options.LocalAddress);
            Assert.AreEqual(4711, options.PeerPort);
            Assert.AreEqual(3, options.ReconnectAttempts);
            Assert.AreEqual("/srv/share", options.ShareDirectory);
            CollectionAssert.AreEqual(new[] { "a:1", "b:2" }, options.Servers);
            Assert.AreEqual(TimeSpan.FromSeconds(7), options.KeepAliveInterval);
            Assert.AreEqual("example.org", options.Host);
            Assert.AreEqual(9000, options.Port);
            Assert.AreEqual("from-command-line", options.StateDirectory);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
