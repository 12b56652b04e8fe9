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

    int PortOf(int node);

    /// <summary>The processes whose CPU a window measures: the node(s), and a cluster's Redis and PostgreSQL.</summary>
    IReadOnlyList<CpuSource> Cpu { get; }

    /// <summary>kill -9 of one node.</summary>
    void Kill(int node);
}

/// <summary>The single node: SQLite, no engines.</summary>
public sealed class SingleDeployment(ServerProcess server) : IDeployment
{
    public string Name => "single";

    public int Nodes => 1;

    public int PortOf(int node) => server.Port;

    public IReadOnlyList<CpuSource> Cpu { get; } = [new CpuSource("server", true, server.CpuTime)];

    public void Kill(int node) => server.KillHard();

    public static async Task<IDeployment> StartAsync(BenchOptions options, int users) =>
        new SingleDeployment(await ServerProcess.StartAsync(options.ServerDll, users, options.Tls));

    public void Dispose() => server.Dispose();
}
