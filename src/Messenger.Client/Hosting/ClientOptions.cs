namespace Messenger.Client.Hosting;

/// <summary>
/// Every client setting with its default. Bound from config/client.json, then MESSENGER_Client__* environment
/// variables, then command-line options; host and port always come from the command line.
/// Setters, not init: the configuration binding source generator (needed by the Native AOT build) silently skips
/// init-only properties (dotnet/runtime#107856); the program treats a built instance as read-only and copies with `with`.
/// </summary>
public sealed record ClientOptions
{
    public string Host { get; set; } = "127.0.0.1";

    public int Port { get; set; }

    /// <summary>More nodes of the same cluster ("host:port"), tried in turn when one cannot be reached.</summary>
    public string[] Servers { get; set; } = [];

    /// <summary>Plaintext TCP instead of TLS: only when the server was started in plaintext mode too.</summary>
    public bool Plaintext { get; set; }

    /// <summary>The server's key fingerprint (SPKI SHA-256) to trust up front, instead of trusting on first use.</summary>
    public string? TrustFingerprint { get; set; }

    /// <summary>
    /// The local address this client uses: its server connection comes from it and it listens for peers on it.
    /// Default: any (the system picks the outgoing address; peers are accepted on every interface).
    /// </summary>
    public string? LocalAddress { get; set; }

    /// <summary>Port for peers to connect to (private sessions); 0 lets the system choose.</summary>
    public int PeerPort { get; set; }

    /// <summary>The address peers should use to reach this client, when it is not the one the server sees (NAT).</summary>
    public string? AdvertiseHost { get; set; }

    /// <summary>Files this client offers to others (only these are ever served). Default: $XDG_DATA_HOME/messenger/share.</summary>
    public string? ShareDirectory { get; set; }

    /// <summary>Where p2pDownload puts finished files. Default: $XDG_DATA_HOME/messenger/downloads.</summary>
    public string? DownloadDirectory { get; set; }

    public string ResolveShareDirectory() => ShareDirectory ?? Path.Combine(DataRoot(), "share");

    public string ResolveDownloadDirectory() => DownloadDirectory ?? Path.Combine(DataRoot(), "downloads");

    private static string DataRoot()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        return Path.Combine(string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg, "messenger");
    }

    /// <summary>Where the client keeps its state (pinned servers, keys). Default: $XDG_STATE_HOME/messenger or ~/.local/state/messenger.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Reconnect attempts after the connection is lost, with exponential backoff and jitter, before giving up.</summary>
    public int ReconnectAttempts { get; set; } = 8;

    /// <summary>First reconnect delay; doubles per attempt (with jitter) up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Silence from the server after which the client pings it; no answer within <see cref="KeepAliveTimeout"/> ends
    /// the link and the client reconnects. A path that drops packets without a reset (a NAT timeout, a laptop that
    /// slept, a Wi-Fi switch) is noticed this way instead of never. Pings never count as user activity.
    /// </summary>
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(15);

    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Sign up: the first login creates the account if the name is free (the server must allow registration). For
    /// scripts (`--register`); on a terminal the client asks instead when a name is unknown.
    /// </summary>
    public bool Register { get; set; }

    /// <summary>At end of input (pipe mode), how long to wait for replies still owed before logging out.</summary>
    public TimeSpan EndOfInputGrace { get; set; } = TimeSpan.FromSeconds(10);

    public string ResolveStateDirectory()
    {
        if (!string.IsNullOrEmpty(StateDirectory))
        {
            return StateDirectory;
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state")
            : xdg;
        return Path.Combine(root, "messenger");
    }
}
