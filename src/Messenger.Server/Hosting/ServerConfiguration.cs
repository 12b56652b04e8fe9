using Messenger.Server.Cluster;
using Microsoft.Extensions.Configuration;

namespace Messenger.Server.Hosting;

/// <summary>
/// Builds <see cref="ServerOptions"/>: config/server.json, then MESSENGER_Server__* environment variables, then
/// command-line options; the positional arguments always win (DESIGN "Configuration and logging").
/// </summary>
public static class ServerConfiguration
{
    /// <summary>MESSENGER_Server__MaxMessagesPerSecond=100 sets Server:MaxMessagesPerSecond.</summary>
    public const string EnvironmentPrefix = "MESSENGER_";

    public static ServerOptions Build(ServerArguments arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var path = Path.GetFullPath(arguments.ConfigPath ?? Path.Combine("config", "server.json"));
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(path, optional: arguments.ConfigPath is null, reloadOnChange: false)
            .AddEnvironmentVariables(EnvironmentPrefix)
            .Build();
        var fromFiles = configuration.GetSection("Server").Get<ServerOptions>() ?? new ServerOptions();
        return fromFiles with
        {
            Port = arguments.Port,
            BlockDuration = TimeSpan.FromSeconds(arguments.BlockSeconds),
            IdleTimeout = TimeSpan.FromSeconds(arguments.TimeoutSeconds),
            CredentialsPath = arguments.CredentialsPath ?? fromFiles.CredentialsPath,
            DataDirectory = arguments.DataDirectory ?? fromFiles.DataDirectory,
            ListenAddress = arguments.ListenAddress ?? fromFiles.ListenAddress,
            Plaintext = arguments.Plaintext || fromFiles.Plaintext,
            Web = arguments.Web ?? fromFiles.Web,
            WebInsecure = arguments.WebInsecure || fromFiles.WebInsecure,
            Cluster = WithArguments(fromFiles.Cluster, arguments.Cluster, arguments.Port),
        };
    }

    /// <summary>The command line's cluster settings over the files' and the environment's; none given: no cluster.</summary>
    private static ClusterOptions? WithArguments(ClusterOptions? configured, ClusterArguments? arguments, int port)
    {
        if (arguments is not null && (arguments.Enabled || configured is not null))
        {
            configured = (configured ?? new ClusterOptions()) with
            {
                NodeId = arguments.NodeId ?? configured?.NodeId,
                PostgreSql = arguments.PostgreSql ?? configured?.PostgreSql ?? "",
                Redis = arguments.Redis ?? configured?.Redis ?? "",
            };
        }
        return configured is null ? null : configured with { NodeId = configured.NodeId ?? $"{Environment.MachineName}-{port}" };
    }
}
