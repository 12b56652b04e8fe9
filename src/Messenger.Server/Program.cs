using System.Net.Sockets;
using System.Runtime.InteropServices;
using Messenger.Server.Admin;
using Messenger.Server.Auth;
using Messenger.Server.Cluster;
using Messenger.Server.Hosting;
using Messenger.Server.Messaging;
using Messenger.Server.Storage;
using Messenger.Server.Storage.Postgres;
using Messenger.Server.Storage.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Messenger.Server;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["hash-password"])
        {
            return await PasswordHashCommand.RunAsync();
        }
        var commandLine = new ServerCommandLine();
        var parsed = commandLine.Root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }
            await Console.Error.WriteLineAsync(ServerCommandLine.Usage);
            await Console.Error.WriteLineAsync("Run 'server --help' for every option.");
            return 2;
        }
        if (parsed.Action is not null && args.Any(a => a is "--help" or "-h" or "-?" or "--version"))
        {
            return await parsed.InvokeAsync();
        }

        var options = ServerConfiguration.Build(parsed.GetValue(commandLine.Config), parsed.GetValue(commandLine.Port),
            parsed.GetValue(commandLine.BlockTime), parsed.GetValue(commandLine.Timeout), parsed.GetValue(commandLine.Credentials),
            parsed.GetValue(commandLine.DataDirectory), parsed.GetValue(commandLine.Listen), parsed.GetValue(commandLine.Plaintext),
            new ClusterArguments(parsed.GetValue(commandLine.Cluster), parsed.GetValue(commandLine.NodeId), parsed.GetValue(commandLine.Postgres),
                parsed.GetValue(commandLine.Redis)));
        if (parsed.GetValue(commandLine.Cluster) && !options.IsCluster)
        {
            await Console.Error.WriteLineAsync("--cluster needs a PostgreSQL connection string and a Redis endpoint: --postgres and --redis, " +
                "or Server:Cluster:PostgreSql and Server:Cluster:Redis (MESSENGER_Server__Cluster__PostgreSql, MESSENGER_Server__Cluster__Redis).");
            return 2;
        }
        var verbose = parsed.GetValue(commandLine.Verbose);
        OperatorLogFormatter.IncludeCategory = verbose;
        using var loggers = LoggerFactory.Create(builder => builder
            .SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddConsole(console =>
            {
                console.FormatterName = OperatorLogFormatter.FormatterName;
                console.LogToStandardErrorThreshold = LogLevel.Trace; // stdout is for the listening line and the console
            })
            .AddConsoleFormatter<OperatorLogFormatter, ConsoleFormatterOptions>());
        return await RunAsync(options, loggers);
    }

    private static async Task<int> RunAsync(ServerOptions options, ILoggerFactory loggers)
    {
        FileCredentialStore credentials;
        try
        {
            credentials = FileCredentialStore.Load(options.CredentialsPath, loggers.CreateLogger<FileCredentialStore>());
        }
        catch (FileNotFoundException)
        {
            await Console.Error.WriteLineAsync($"Credentials file '{Path.GetFullPath(options.CredentialsPath)}' not found. " +
                "Create it (lines 'username password'), or try the sample accounts with --credentials credentials.sample.txt.");
            return 1;
        }
        if (Path.GetFileName(options.CredentialsPath).Contains("sample", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"WARNING: using the SAMPLE accounts in {options.CredentialsPath}. Their passwords are public: never expose this server.");
        }

        using var store = options.IsCluster
            ? (IServerStore)await PostgresStore.OpenAsync(options.Cluster!.PostgreSql, options.Cluster.NodeId!)
            : SqliteStore.Open(options.DataDirectory);
        // The key signs private-session tickets even in plaintext mode; only TLS needs it on the wire.
        using var identity = ServerCertificate.Load(options);
        var certificate = options.Plaintext ? null : identity;
        var cluster = options.IsCluster ? await JoinClusterAsync(options.Cluster!, (PostgresStore)store, loggers) : null;
        var chat = await ServerCore.CreateAsync(options, TimeProvider.System, credentials, store, loggers.CreateLogger<ServerCore>(), identity, cluster);
        if (chat.Cluster is { } node)
        {
            await node.StartAsync();
            Console.WriteLine($"Cluster node {options.Cluster!.NodeId} (shared state in PostgreSQL, bus on Redis {options.Cluster.Redis})");
        }
        await using var host = new ServerHost(options, chat, TimeProvider.System, loggers, certificate);
        try
        {
            host.Start();
        }
        catch (SocketException ex)
        {
            await Console.Error.WriteLineAsync($"Cannot listen on {options.ListenAddress} port {options.Port}: {ex.Message}");
            return 1;
        }
        Console.WriteLine($"Listening on {FormatEndPoint(host.LocalEndPoint)}");
        if (certificate is null)
        {
            await Console.Error.WriteLineAsync("WARNING: plaintext mode: passwords and messages cross the network unencrypted.");
        }
        else
        {
            // Clients pin the public key (SPKI): a renewed certificate with the same key keeps every pin.
            Console.WriteLine($"TLS certificate SHA-256: {Security.Fingerprints.CertificateSha256(certificate)}");
            Console.WriteLine($"Public key (SPKI) SHA-256: {Security.Fingerprints.SpkiSha256(certificate)}");
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
        using var consoleStop = new CancellationTokenSource();
        if (ConsoleInputPolicy.ShouldReadStdin())
        {
            var console = new ServerConsole(chat, Console.Out, () => { stop.TrySetResult(); return Task.CompletedTask; });
            // Console.In reads synchronously even through ReadLineAsync: give it its own task so Main stays free. It is
            // not awaited at stop (a blocked read of stdin cannot be cancelled), so a failure of it is logged here; the
            // server goes on serving its users.
            var consoleLogger = loggers.CreateLogger<ServerConsole>();
            _ = Task.Run(async () =>
            {
                try
                {
                    await console.RunAsync(Console.In, consoleStop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    consoleLogger.LogError(ex, "The operator console failed; the server goes on without it");
                }
            });
        }

        await stop.Task;
        await consoleStop.CancelAsync();
        await host.StopAsync();
        if (chat.Cluster is { } leaving)
        {
            await leaving.DisposeAsync();
        }
        Console.WriteLine("Server stopped.");
        return 0;
    }

    private static async Task<ClusterSetup> JoinClusterAsync(ClusterOptions cluster, PostgresStore store, ILoggerFactory loggers)
    {
        var bus = await RedisStreamsBus.ConnectAsync(cluster, cluster.NodeId!, loggers.CreateLogger<RedisStreamsBus>());
        return new ClusterSetup(bus, new PostgresClusterRecord(store.DataSource), cluster);
    }

    private static string FormatEndPoint(System.Net.IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : $"{endPoint.Address}:{endPoint.Port}";
}
