using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Messenger.Server.Hosting;

/// <summary>
/// The command line, all of it declared to System.CommandLine: `server &lt;port&gt; &lt;blocktime&gt; &lt;timeout&gt;
/// [options]` runs the server, `server hash-password` hashes a password. Parsing, validation, `--help` and the choice of
/// what to run are the library's; this type declares the arguments, their rules, and the one thing we add: a wrong
/// command line prints its errors and the usage on stderr and exits with <see cref="UsageExitCode"/> (README).
/// </summary>
public sealed class ServerCommandLine
{
    public const string Usage = "Usage: server <port> <blocktime> <timeout> [--credentials FILE] [--data-dir DIR] [--listen ADDRESS] [--config FILE] [--plaintext] [--web ADDRESS:PORT [--web-insecure]] [-v]\n                     [--cluster [--node-id ID] [--postgres CONNECTION] [--redis HOST:PORT]]\n       server hash-password   (reads a password on stdin, prints its hash for the credentials file)";

    /// <summary>The conventional exit code for a wrong command line (BSD sysexits' EX_USAGE is 64; shells use 2).</summary>
    public const int UsageExitCode = 2;

    private readonly RootCommand root;

    /// <param name="runServer">Runs the server; its result is the exit code.</param>
    /// <param name="hashPassword">`hash-password`: reads a password, prints its hash; its result is the exit code.</param>
    public ServerCommandLine(Func<ServerArguments, CancellationToken, Task<int>> runServer, Func<CancellationToken, Task<int>> hashPassword)
    {
        Port.Validators.Add(result => RequireRange(result, 1, 65535, "port"));
        BlockTime.Validators.Add(result => RequireRange(result, 1, int.MaxValue, "blocktime"));
        Timeout.Validators.Add(result => RequireRange(result, 1, int.MaxValue, "timeout"));

        var hash = new Command("hash-password", "Read a password on stdin (not echoed on a terminal) and print the line to put after the user name in the credentials file.");
        hash.SetAction((_, cancellation) => hashPassword(cancellation));

        root = new RootCommand("MessengerSuite server: authenticated messaging with offline delivery and presence.")
        {
            Port, BlockTime, Timeout, Credentials, DataDirectory, Listen, Config, Plaintext, Web, WebInsecure, Verbose, Cluster, NodeId, Postgres, Redis, hash,
        };
        root.SetAction((parsed, cancellation) => runServer(Read(parsed), cancellation));
    }

    public Argument<int> Port { get; } = new("port") { Description = "TCP port to listen on (1-65535)." };

    public Argument<int> BlockTime { get; } = new("blocktime") { Description = "Seconds a user name stays blocked after 3 wrong passwords (> 0)." };

    public Argument<int> Timeout { get; } = new("timeout") { Description = "Seconds without activity before a user is logged out (> 0)." };

    public Option<string?> Credentials { get; } = new("--credentials") { Description = "Credentials file (default: credentials.txt in the working directory)." };

    public Option<string?> DataDirectory { get; } = new("--data-dir") { Description = "Where the database is kept (default: ./data)." };

    public Option<string?> Listen { get; } = new("--listen") { Description = "Address to listen on (default: :: = every interface)." };

    public Option<string?> Config { get; } = new("--config") { Description = "Settings file (default: config/server.json if present)." };

    public Option<bool> Plaintext { get; } = new("--plaintext") { Description = "No TLS (clients must opt in too). For tests and trusted networks only." };

    public Option<string?> Web { get; } = new("--web") { Description = "Also serve the browser client, /admin and /metrics over HTTP(S) on ADDRESS:PORT (e.g. 127.0.0.1:8080)." };

    public Option<bool> WebInsecure { get; } = new("--web-insecure") { Description = "Allow plain HTTP for --web on a non-loopback address (no web certificate configured)." };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Diagnostic logs on stderr." };

    public Option<bool> Cluster { get; } = new("--cluster") { Description = "Cluster mode: one of several nodes sharing PostgreSQL and Redis (settings Server:Cluster:*)." };

    public Option<string?> NodeId { get; } = new("--node-id") { Description = "This node's name in the cluster (default: host name and port)." };

    public Option<string?> Postgres { get; } = new("--postgres") { Description = "PostgreSQL connection string (Npgsql) of the cluster." };

    public Option<string?> Redis { get; } = new("--redis") { Description = "Redis endpoint (host:port) of the cluster's bus." };

    /// <summary>Parses <paramref name="args"/> and runs what they ask for: the server, `hash-password`, or the help.</summary>
    public async Task<int> InvokeAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellation = default)
    {
        var parsed = root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var problem in parsed.Errors)
            {
                await error.WriteLineAsync(problem.Message);
            }
            await error.WriteLineAsync(Usage);
            await error.WriteLineAsync("Run 'server --help' for every option.");
            return UsageExitCode;
        }
        // Signals are the Generic Host's (ConsoleLifetime: a graceful stop); the parser must not race it for SIGINT/SIGTERM.
        var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        return await parsed.InvokeAsync(invocation, cancellation);
    }

    private ServerArguments Read(ParseResult parsed) =>
        new(parsed.GetValue(Port), parsed.GetValue(BlockTime), parsed.GetValue(Timeout))
        {
            ConfigPath = parsed.GetValue(Config),
            CredentialsPath = parsed.GetValue(Credentials),
            DataDirectory = parsed.GetValue(DataDirectory),
            ListenAddress = parsed.GetValue(Listen),
            Plaintext = parsed.GetValue(Plaintext),
            Verbose = parsed.GetValue(Verbose),
            Web = parsed.GetValue(Web),
            WebInsecure = parsed.GetValue(WebInsecure),
            Cluster = ReadCluster(parsed),
        };

    /// <summary>The cluster options; null when none was given (the settings file and the environment decide).</summary>
    private ClusterArguments? ReadCluster(ParseResult parsed)
    {
        var cluster = new ClusterArguments(parsed.GetValue(Cluster), parsed.GetValue(NodeId), parsed.GetValue(Postgres), parsed.GetValue(Redis));
        return cluster is { Enabled: false, NodeId: null, PostgreSql: null, Redis: null } ? null : cluster;
    }

    private static void RequireRange(ArgumentResult result, int min, int max, string name)
    {
        if (result.Tokens.Count == 1 && (!int.TryParse(result.Tokens[0].Value, out var value) || value < min || value > max))
        {
            result.AddError(max == int.MaxValue
                ? $"{name} must be a whole number of seconds greater than 0 (got '{result.Tokens[0].Value}')."
                : $"{name} must be a whole number from {min} to {max} (got '{result.Tokens[0].Value}').");
        }
    }
}
