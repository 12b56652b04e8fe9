namespace Messenger.Bench;

/// <summary>What a workload runs against: how to start a fresh server for N users and how one user connects and logs in.</summary>
public interface IBenchTarget
{
    /// <summary>The result's "mode": plaintext, tls, ws, wss, ngircd or inspircd.</summary>
    string Mode { get; }

    /// <summary>Logins kept in flight while connecting clients (a daemon may need its own, see IrcTarget).</summary>
    int LoginWindow { get; }

    Task<IServerUnderTest> StartAsync(int users);

    Task<ILoadClient> ConnectAsync(int port, int index, CancellationToken cancellation);
}
