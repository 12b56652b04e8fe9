using System.Security.Cryptography.X509Certificates;
using Messenger.Server.Hosting;
using Messenger.Server.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.IntegrationTests.Harness;

/// <summary>
/// A real server on 127.0.0.1 (port chosen by the system) with its own data folder and credentials file, driven by
/// a fake clock. It runs the same Generic Host as the executable (<see cref="ServerApplication"/>), with the fake clock,
/// its own log capture and no signal handling or console. Restartable on the same data folder, to prove what survives.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private IHost? host;

    private TestServer(string root, ServerOptions options)
    {
        Root = root;
        Options = options;
    }

    /// <summary>Everything the server logged, at every level.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Starts at the real time: clients check ticket times against their own (real) clocks, as in a deployment.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public string Root { get; }

    public ServerOptions Options { get; private set; }

    public ServerCore Chat => Service<ServerCoreStartup>().Core;

    /// <summary>The running server's store, to check what it holds (e.g. a mailbox's size).</summary>
    public IServerStore Store => Service<ServerCoreStartup>().Store;

    public int Port => Service<AcceptLoopService>().LocalEndPoint.Port;

    /// <summary>The web front end's address when Options.Web is set, else null.</summary>
    public Uri? WebAddress => Service<Messenger.Server.Web.WebService>().Address;

    /// <summary>The key fingerprint clients pin.</summary>
    public string SpkiFingerprint => Security.Fingerprints.SpkiSha256(Certificate);

    /// <summary>The server's key, for tests that forge or sign tickets.</summary>
    public X509Certificate2 Certificate => Service<X509Certificate2>();

    private T Service<T>()
        where T : notnull => (host ?? throw new InvalidOperationException("Not started.")).Services.GetRequiredService<T>();

    /// <summary>Restarts with a brand-new key pair, as if the server had been replaced (or impersonated).</summary>
    public async Task RestartWithNewKeyAsync()
    {
        var port = Port;
        await StopAsync();
        File.Delete(Options.ResolveCertificatePath());
        Options = Options with { Port = port };
        await StartHostAsync();
    }

    public static async Task<TestServer> StartAsync(Func<ServerOptions, ServerOptions>? configure = null, params string[] extraCredentialLines)
    {
        UnobservedTasks.Install();
        var root = Path.Combine(Path.GetTempPath(), "messenger-it-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var credentials = Path.Combine(root, "credentials.txt");
        await File.WriteAllLinesAsync(credentials, TestDefaults.Accounts.Select(a => $"{a.Key} {a.Value}").Concat(extraCredentialLines));
        var options = new ServerOptions
        {
            Port = 0,
            ListenAddress = "127.0.0.1",
            CredentialsPath = credentials,
            DataDirectory = Path.Combine(root, "data"),
            BlockDuration = TimeSpan.FromSeconds(60),
            IdleTimeout = TimeSpan.FromSeconds(300),
            SweepInterval = TimeSpan.FromSeconds(1),
        };
        var server = new TestServer(root, configure?.Invoke(options) ?? options);
        await server.StartHostAsync();
        return server;
    }

    private async Task StartHostAsync()
    {
        host = ServerApplication.Build(Options, Clock, logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs),
            services => services.AddSingleton<IHostLifetime, TestLifetime>());
        await host.StartAsync();
    }

    /// <summary>Stops (gracefully) and starts again on the same data folder and port.</summary>
    /// <remarks><paramref name="whileDown"/> runs between the stop and the start (a browser test types then).</remarks>
    public async Task RestartAsync(Func<Task>? whileDown = null)
    {
        var port = Port;
        var web = WebAddress;
        await StopAsync();
        if (whileDown is not null)
        {
            await whileDown();
        }
        // The web front end comes back on its port too, so an open page can reconnect.
        Options = Options with { Port = port, Web = web is null ? Options.Web : $"{web.Host}:{web.Port}" };
        await StartHostAsync();
    }

    public async Task StopAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            host.Dispose(); // the store last
            host = null;
        }
    }

    /// <summary>Errors this test provokes on purpose (matched by a part of the line); any other fails it.</summary>
    public List<string> ExpectedErrors { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        var unexpected = Logs.Errors.Where(line => !ExpectedErrors.Any(part => line.Contains(part, StringComparison.Ordinal)))
            .Concat(UnobservedTasks.TakeAfterCollecting().Select(e => $"unobserved task exception: {e}")).ToList();
        if (unexpected.Count > 0)
        {
            DeleteRoot();
            throw new AssertFailedException("The server logged errors the test did not expect, or a task failed unobserved:\n  " + string.Join("\n  ", unexpected));
        }
        DeleteRoot();
    }

    private void DeleteRoot()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open: the OS cleans the temp folder.
        }
    }
}
