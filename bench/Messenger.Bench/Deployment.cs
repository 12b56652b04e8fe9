namespace Messenger.Bench;

/// <summary>A cluster node's settings for <see cref="ServerProcess.StartAsync"/>.</summary>
public sealed record ClusterNodeSettings(string NodeId, int Port, string PostgreSql, string Redis);

/// <summary>
/// What a workload runs against: one server, or a cluster's nodes. Bench user i is a user of node i % Nodes, so a
/// uniformly random recipient is on another node (Nodes - 1) / Nodes of the time.
/// </summary>
public interface IDeployment : IDisposable
{
    /// <summary>"single" or "cluster" (the results' variant).</summary>
    string Name { get; }

    int Nodes { get; }

    /// <summary>Where users of <paramref name="node"/> connect (its web port when they speak WebSocket).</summary>
    int PortOf(int node);

    /// <summary>The processes whose CPU a window measures: the node(s), and a cluster's Redis and PostgreSQL.</summary>
    IReadOnlyList<CpuSource> Cpu { get; }

    /// <summary>kill -9 of one node.</summary>
    void Kill(int node);
}

/// <summary>The single node (ours on SQLite, no engines) or the target's one server (an IRC daemon).</summary>
public sealed class SingleDeployment(IServerUnderTest server) : IDeployment
{
    public string Name => "single";

    public int Nodes => 1;

    public int PortOf(int node) => server.ClientPort;

    public IReadOnlyList<CpuSource> Cpu { get; } = [new CpuSource("server", true, server.CpuTime)];

    public void Kill(int node) => server.KillHard();

    public static async Task<IDeployment> StartAsync(IBenchTarget target, int users) => new SingleDeployment(await target.StartAsync(users));

    public void Dispose() => server.Dispose();
}
