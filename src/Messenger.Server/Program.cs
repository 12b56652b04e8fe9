using System.Net.Sockets;
using System.Runtime.InteropServices;
using Messenger.Server.Admin;
using Messenger.Server.Auth;
using Messenger.Server.Hosting;
using Messenger.Server.Messaging;
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
            parsed.GetValue(commandLine.Web), parsed.GetValue(commandLine.WebInsecure));
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

        using var store = SqliteStore.Open(options.DataDirectory);
        // The key signs private-session tickets even in plaintext mode; only TLS needs it on the wire.
        using var identity = ServerCertificate.Load(options);
        var certificate = options.Plaintext ? null : identity;
        var chat = await ServerCore.CreateAsync(options, TimeProvider.System, credentials, store, loggers.CreateLogger<ServerCore>(), identity);
        await using var host = new ServerHost(options, chat, TimeProvider.System, loggers, certificate);
        try
        {
            await host.StartAsync();
        }
        catch (SocketException ex)
        {
            await Console.Error.WriteLineAsync($"Cannot listen on {options.ListenAddress} port {options.Port}: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            // The web front end's address, certificate or plain-HTTP rule (Web/WebAddress).
            await Console.Error.WriteLineAsync($"Cannot serve the web front end on {options.Web}: {ex.Message}");
            return 1;
        }
        Console.WriteLine($"Listening on {FormatEndPoint(host.LocalEndPoint)}");
        if (host.WebAddress is { } web)
        {
            Console.WriteLine($"Web client on {web} (dashboard {web}admin, metrics {web}metrics)");
        }
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
        Console.WriteLine("Server stopped.");
        return 0;
    }

    private static string FormatEndPoint(System.Net.IPEndPoint endPoint) =>
        endPoint.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]:{endPoint.Port}" : $"{endPoint.Address}:{endPoint.Port}";
}
