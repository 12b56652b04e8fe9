using Messenger.IntegrationTests.Harness;
using Messenger.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.IntegrationTests.Issues;

/// <summary>
/// Issue 13, item 5: the server's lifetime is a Generic Host (ServerApplication), the same in the executable and here:
/// settings validated before anything is opened, and a stop that tells every user before it closes their links.
/// </summary>
[TestClass]
public sealed class Issue13HostTests
{
    [TestMethod]
    public async Task AnInvalidSettingStopsTheStartBeforeTheDataFolderOrThePortIsTouched()
    {
        var root = Path.Combine(Path.GetTempPath(), "messenger-host-" + Guid.NewGuid().ToString("N"));
        var options = new ServerOptions
        {
            Port = 0, ListenAddress = "127.0.0.1", DataDirectory = Path.Combine(root, "data"), CredentialsPath = Path.Combine(root, "credentials.txt"),
            SweepInterval = TimeSpan.FromSeconds(-1),
        };
        var logs = new CapturingLoggerProvider();
        using var host = ServerApplication.Build(options, TimeProvider.System, logging => logging.AddProvider(logs),
            services => services.AddSingleton<IHostLifetime, TestLifetime>());

        var failure = await Assert.ThrowsExactlyAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.AreEqual("Server:SweepInterval must be a positive time span such as 00:00:30 (got -00:00:01).", failure.Failures.Single());
        Assert.IsFalse(Directory.Exists(root), "no store opened, no certificate made");
        Assert.AreEqual(0, logs.Errors.Count, "Program explains a failed start; the host adds no error of its own");
    }

    [TestMethod]
    public async Task StoppingTheHostTellsEveryUserItIsShuttingDownAndTheirClientsExit()
    {
        var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");

        await server.DisposeAsync();

        await alice.ExpectAsync("The server is shutting down.");
        await bob.ExpectAsync("The server is shutting down.");
        Assert.AreEqual(1, await alice.ExitCodeAsync());
        Assert.AreEqual(1, await bob.ExitCodeAsync());
    }

    [TestMethod]
    public async Task ASecondServerCannotStartOnThePortARunningServerListensOn()
    {
        await using var running = await TestServer.StartAsync();
        var root = Path.Combine(Path.GetTempPath(), "messenger-host-" + Guid.NewGuid().ToString("N"));
        var credentials = Path.Combine(root, "credentials.txt");
        Directory.CreateDirectory(root);
        await File.WriteAllTextAsync(credentials, "alice alice-pass\n");
        var second = ServerApplication.Build(
            running.Options with { Port = running.Port, DataDirectory = Path.Combine(root, "data"), CredentialsPath = credentials },
            TimeProvider.System, logging => logging.AddProvider(new CapturingLoggerProvider()), services => services.AddSingleton<IHostLifetime, TestLifetime>());
        try
        {
            var refused = await Assert.ThrowsExactlyAsync<System.Net.Sockets.SocketException>(() => second.StartAsync());

            Assert.AreEqual(System.Net.Sockets.SocketError.AddressAlreadyInUse, refused.SocketErrorCode, "not two listeners splitting the clients");
        }
        finally
        {
            second.Dispose();
            Directory.Delete(root, recursive: true);
        }
    }
}
