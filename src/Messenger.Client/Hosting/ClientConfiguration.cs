using Microsoft.Extensions.Configuration;

namespace Messenger.Client.Hosting;

/// <summary>Builds <see cref="ClientOptions"/>: config/client.json, then MESSENGER_Client__* variables, then options.</summary>
public static class ClientConfiguration
{
    public static ClientOptions Build(string? configPath, string host, int port, string? stateDirectory, string? trust = null, bool plaintext = false, string? servers = null)
    {
        var path = Path.GetFullPath(configPath ?? Path.Combine("config", "client.json"));
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(path, optional: configPath is null, reloadOnChange: false)
            .AddEnvironmentVariables("MESSENGER_")
            .Build();
        var fromFiles = configuration.GetSection("Client").Get<ClientOptions>() ?? new ClientOptions();
        return fromFiles with
        {
            Host = host,
            Port = port,
            StateDirectory = stateDirectory ?? fromFiles.StateDirectory,
            TrustFingerprint = trust ?? fromFiles.TrustFingerprint,
            Plaintext = plaintext || fromFiles.Plaintext,
            Servers = servers is null ? fromFiles.Servers : servers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }
}
