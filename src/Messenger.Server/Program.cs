using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Messenger.Server.Admin;
using Messenger.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Server;

public static class Program
{
    public static Task<int> Main(string[] args) =>
        new ServerCommandLine(RunAsync, PasswordHashCommand.RunAsync).InvokeAsync(args, Console.Out, Console.Error);

    /// <summary>
    /// Runs the server until Ctrl-C, SIGTERM or the console's `shutdown` (all handled by the host's ConsoleLifetime).
    /// Exit codes: 0 after a graceful stop; 1 when it cannot start (bad setting, no credentials file, port taken); 2 for
    /// --cluster without PostgreSQL and Redis settings (a wrong command line).
    /// </summary>
    private static async Task<int> RunAsync(ServerArguments arguments, CancellationToken cancellation)
    {
        ThreadPoolFloor.Apply(Environment.ProcessorCount);
        var options = ServerConfiguration.Build(arguments);
        if (arguments.Cluster is { Enabled: true } && !options.IsCluster)
        {
            await Console.Error.WriteLineAsync("--cluster needs a PostgreSQL connection string and a Redis endpoint: --postgres and --redis, " +
                "or Server:Cluster:PostgreSql and Server:Cluster:Redis (MESSENGER_Server__Cluster__PostgreSql, MESSENGER_Server__Cluster__Redis).");
            return ServerCommandLine.UsageExitCode;
        }
        OperatorLogFormatter.IncludeCategory = arguments.Verbose;
        using var host = ServerApplication.Build(options, TimeProvider.System, logging => logging
            .SetMinimumLevel(arguments.Verbose ? LogLevel.Debug : LogLevel.Warning)
            .AddConsole(console =>
            {
                console.FormatterName = OperatorLogFormatter.FormatterName;
                console.LogToStandardErrorThreshold = LogLevel.Trace; // stdout is for the listening line and the console
            })
            .AddOperatorFormatter(),
            services => services.AddHostedService<OperatorConsoleService>());
        if (await StartAsync(host, options, cancellation) is { } failed)
        {
            return failed;
        }
        if (options.IsCluster)
        {
            Console.WriteLine($"Cluster node {options.Cluster!.NodeId} (shared state in PostgreSQL, bus on Redis {options.Cluster.Redis})");
        }
        var listening = host.Services.GetRequiredService<AcceptLoopService>().LocalEndPoint;
        Console.WriteLine($"Listening on {listening}"); // IPEndPoint writes IPv6 as [address]:port
        if (host.Services.GetRequiredService<Web.WebService>().Address is { } web)
        {
            Console.WriteLine($"Web client on {web} (dashboard {web}admin, metrics {web}metrics)");
        }
        if (options.Plaintext)
        {
            await Console.Error.WriteLineAsync("WARNING: plaintext mode: passwords and messages cross the network unencrypted.");
        }
        else
        {
            // Clients pin the public key (SPKI): a renewed certificate with the same key keeps every pin.
            var certificate = host.Services.GetRequiredService<X509Certificate2>();
            Console.WriteLine($"TLS certificate SHA-256: {Security.Fingerprints.CertificateSha256(certificate)}");
            Console.WriteLine($"Public key (SPKI) SHA-256: {Security.Fingerprints.SpkiSha256(certificate)}");
        }

        await host.WaitForShutdownAsync(CancellationToken.None);
        Console.WriteLine("Server stopped.");
        return 0;
    }

    /// <summary>Starts the host; on a start-up failure prints one clear explanation and returns the exit code.</summary>
    private static async Task<int?> StartAsync(IHost host, ServerOptions options, CancellationToken cancellation)
    {
        try
        {
            await host.StartAsync(cancellation);
        }
        catch (OptionsValidationException ex)
        {
            await Console.Error.WriteLineAsync("The server's settings are not valid:");
            foreach (var failure in ex.Failures)
            {
                await Console.Error.WriteLineAsync("  " + failure);
            }
            return 1;
        }
        catch (FileNotFoundException ex) when (ex.FileName is { } missing && Path.GetFullPath(missing) == Path.GetFullPath(options.CredentialsPath))
        {
            await Console.Error.WriteLineAsync($"Credentials file '{Path.GetFullPath(options.CredentialsPath)}' not found. " +
                "Create it (lines 'username password'), or try the sample accounts with --credentials credentials.sample.txt.");
            return 1;
        }
        catch (SocketException ex)
        {
            await Console.Error.WriteLineAsync($"Cannot listen on {options.ListenAddress} port {options.Port}: {ex.Message}");
            return 1;
        }
        if (Path.GetFileName(options.CredentialsPath).Contains("sample", StringComparison.OrdinalIgnoreCase))
        {
            await Console.Error.WriteLineAsync($"WARNING: using the SAMPLE accounts in {options.CredentialsPath}. Their passwords are public: never expose this server.");
        }
        return null;
    }
}
