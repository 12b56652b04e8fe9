using System.CommandLine;
using System.CommandLine.Parsing;

namespace Messenger.Client.Hosting;

/// <summary>The command line: `client &lt;host&gt; &lt;port&gt; [options]`, parsed by System.CommandLine.</summary>
public sealed class ClientCommandLine
{
    public const string Usage = "Usage: client <host> <port> [--trust FINGERPRINT] [--forget] [--plaintext] [--state-dir DIR] [--config FILE] [--register] [--servers HOST:PORT,...]";

    public Argument<string> Host { get; } = new("host") { Description = "Server host name or address." };

    public Argument<int> Port { get; } = new("port") { Description = "Server port (1-65535)." };

    public Option<string?> StateDirectory { get; } = new("--state-dir") { Description = "Where the client keeps its state (default: $XDG_STATE_HOME/messenger)." };

    public Option<string?> Config { get; } = new("--config") { Description = "Settings file (default: config/client.json if present)." };

    public Option<string?> Trust { get; } = new("--trust") { Description = "Trust only a server whose key (SPKI SHA-256) has this fingerprint." };

    public Option<bool> Forget { get; } = new("--forget") { Description = "Forget the pinned key of this server, then exit." };

    public Option<bool> Plaintext { get; } = new("--plaintext") { Description = "No TLS (the server must be in plaintext mode too)." };

    public Option<string?> Servers { get; } = new("--servers") { Description = "More nodes of the same cluster (host:port,host:port), tried in turn when one cannot be reached." };

    public Option<bool> Register { get; } = new("--register") { Description = "Create the account if the user name is free (the server must allow sign-up)." };

    public RootCommand Root { get; }

    public ClientCommandLine()
    {
        Port.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && (!int.TryParse(result.Tokens[0].Value, out var port) || port is < 1 or > 65535))
            {
                result.AddError($"port must be a whole number from 1 to 65535 (got '{result.Tokens[0].Value}').");
            }
        });
        Host.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && string.IsNullOrWhiteSpace(result.Tokens[0].Value))
            {
                result.AddError("host must not be empty.");
            }
        });
        Servers.Validators.Add(result =>
        {
            foreach (var endpoint in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                try
                {
                    Connection.ServerEndpoints.Parse(endpoint);
                }
                catch (FormatException ex)
                {
                    result.AddError(ex.Message);
                }
            }
        });
        Root = new RootCommand("MessengerSuite client.") { Host, Port, Trust, Forget, Plaintext, StateDirectory, Config, Register, Servers };
    }
}
