namespace Messenger.Server.Hosting;

/// <summary>What `server &lt;port&gt; &lt;blocktime&gt; &lt;timeout&gt; [options]` asked for, already checked by the parser.</summary>
public sealed record ServerArguments(int Port, int BlockSeconds, int TimeoutSeconds)
{
    public string? ConfigPath { get; init; }

    public string? CredentialsPath { get; init; }

    public string? DataDirectory { get; init; }

    public string? ListenAddress { get; init; }

    public bool Plaintext { get; init; }

    public bool Verbose { get; init; }

    /// <summary>`--web ADDRESS:PORT`: serve the browser client, /admin and /metrics there.</summary>
    public string? Web { get; init; }

    public bool WebInsecure { get; init; }
    /// <summary>--cluster, --node-id, --postgres, --redis; none given: whatever Server:Cluster says.</summary>
    public ClusterArguments? Cluster { get; init; }
}
