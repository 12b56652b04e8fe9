using System.CommandLine;
using System.CommandLine.Parsing;

namespace Messenger.Server.Hosting;

/// <summary>
/// The command line: `server &lt;port&gt; &lt;blocktime&gt; &lt;timeout&gt; [options]`. Parsing and help come from
/// System.CommandLine; this type only declares the arguments and their rules.
/// </summary>
public sealed class ServerCommandLine
{
    public const string Usage = "Usage: server <port> <blocktime> <timeout> [--credentials FILE] [--data-dir DIR] [--listen ADDRESS] [--config FILE] [--plaintext] [-v]\n                     [--cluster [--node-id ID] [--postgres CONNECTION] [--redis HOST:PORT]]\n       server hash-password   (reads a password on stdin, prints its hash for the credentials file)";

    public Argument<int> Port { get; } = new("port") { Description = "TCP port to listen on (1-65535)." };

    public Argument<int> BlockTime { get; } = new("blocktime") { Description = "Seconds a user name stays blocked after 3 wrong passwords (> 0)." };

    public Argument<int> Timeout { get; } = new("timeout") { Description = "Seconds without activity before a user is logged out (> 0)." };

    public Option<string?> Credentials { get; } = new("--credentials") { Description = "Credentials file (default: credentials.txt in the working directory)." };

    public Option<string?> DataDirectory { get; } = new("--data-dir") { Description = "Where the database is kept (default: ./data)." };

    public Option<string?> Listen { get; } = new("--listen") { Description = "Address to listen on (default: :: = every interface)." };

    public Option<string?> Config { get; } = new("--config") { Description = "Settings file (default: config/server.json if present)." };

    public Option<bool> Plaintext { get; } = new("--plaintext") { Description = "No TLS (clients must opt in too). For tests and trusted networks only." };

    public Option<bool> Verbose { get; } = new("--verbose", "-v") { Description = "Diagnostic logs on stderr." };

    public Option<bool> Cluster { get; } = new("--cluster") { Description = "Cluster mode: one of several nodes sharing PostgreSQL and Redis (settings Server:Cluster:*)." };

    public Option<string?> NodeId { get; } = new("--node-id") { Description = "This node's name in the cluster (default: host name and port)." };

    public Option<string?> Postgres { get; } = new("--postgres") { Description = "PostgreSQL connection string (Npgsql) of the cluster." };

    public Option<string?> Redis { get; } = new("--redis") { Description = "Redis endpoint (host:port) of the cluster's bus." };

    public RootCommand Root { get; }

    public ServerCommandLine()
    {
        Port.Validators.Add(result => RequireRange(result, 1, 65535, "port"));
        BlockTime.Validators.Add(result => RequireRange(result, 1, int.MaxValue, "blocktime"));
        Timeout.Validators.Add(result => RequireRange(result, 1, int.MaxValue, "timeout"));
        Root = new RootCommand("MessengerSuite server: authenticated messaging with offline delivery and presence.")
        {
            Port, BlockTime, Timeout, Credentials, DataDirectory, Listen, Config, Plaintext, Verbose, Cluster, NodeId, Postgres, Redis,
        };
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
