using System.Diagnostics;
using Npgsql;

namespace Messenger.Bench;

/// <summary>
/// Three nodes (`server ... --cluster`) on a redis-server of the run's own (no persistence, as scripts/cluster.sh
/// runs it; another bench or a hand-run cluster on the shared Redis would see this run's events) and a fresh schema
/// in the PostgreSQL database BENCH_PG (default: scripts/cluster.sh's server, database clbench), dropped at the end.
/// Nodes and Redis listen on BENCH_PORTS (a range, default 18301-18399) of 127.0.0.1.
/// </summary>
public sealed class ClusterDeployment : IDeployment
{
    private static readonly string Postgres = Environment.GetEnvironmentVariable("BENCH_PG") is { Length: > 0 } configured
        ? configured : "Host=127.0.0.1;Port=55432;Username=mx;Database=clbench";

    private readonly List<ServerProcess> nodes = [];
    private readonly RedisServer redis;
    private readonly PostgresBackends postgres;
    private readonly string schema = "bench_" + Guid.NewGuid().ToString("N");

    private ClusterDeployment(RedisServer redis)
    {
        this.redis = redis;
        postgres = new PostgresBackends(SchemaConnection());
    }

    public string Name => "cluster";

    public int Nodes => nodes.Count;

    public int PortOf(int node) => nodes[node].ClientPort;

    public IReadOnlyList<CpuSource> Cpu =>
    [
        .. nodes.Select((n, i) => new CpuSource(NodeName(i), true, n.CpuTime)),
        new CpuSource("redis", false, redis.CpuTime),
        new CpuSource("postgres", false, postgres.CpuTime),
    ];

    /// <summary>Counts Redis commands from now; the function returns them per message (the top six, and the total) at the end.</summary>
    public Func<double, Dictionary<string, object>> CountRedisCommands()
    {
        var start = redis.CommandCalls();
        return messages =>
        {
            var end = redis.CommandCalls();
            var per = end.ToDictionary(p => p.Key, p => (p.Value - start.GetValueOrDefault(p.Key)) / Math.Max(1, messages));
            var result = new Dictionary<string, object> { ["redis_cmds_per_msg"] = Math.Round(per.Values.Sum(), 2) };
            foreach (var (command, calls) in per.Where(p => p.Value >= 0.01).OrderByDescending(p => p.Value).Take(6))
            {
                result[$"redis_{command}_per_msg"] = Math.Round(calls, 3);
            }
            return result;
        };
    }

    public static string NodeName(int node) => $"n{node + 1}";

    public void Kill(int node) => nodes[node].KillHard();

    /// <summary>
    /// Nodes started for W1 and W2: 3, or BENCH_CLUSTER_NODES (1: one node on the engines, every message local to it, which
    /// tells the engines' cost from that of splitting the users over several processes).
    /// </summary>
    private static readonly int DefaultCount = int.TryParse(Environment.GetEnvironmentVariable("BENCH_CLUSTER_NODES"), out var configured) && configured > 0
        ? configured : 3;

    public static async Task<IDeployment> StartAsync(BenchOptions options, int users, int? count = null)
    {
        count ??= DefaultCount;
        var cluster = new ClusterDeployment(await RedisServer.StartAsync(LoopbackPorts.Next()));
        try
        {
            await cluster.ExecuteAsync($"CREATE SCHEMA {cluster.schema}");
            for (var i = 0; i < count; i++)
            {
                cluster.nodes.Add(await ServerProcess.StartAsync(options.ServerDll, users, options.Tls, web: options.WebSocket,
                    node: new ClusterNodeSettings(NodeName(i), LoopbackPorts.Next(), cluster.SchemaConnection(), cluster.redis.Endpoint)));
            }
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    // Npgsql's default pool (100) on each of 3 nodes outgrows scripts/cluster.sh's max_connections (200) in a burst of
    // logins ("53300: sorry, too many clients already", and the login fails): 40 each leaves room for the server's other users.
    private string SchemaConnection() => new NpgsqlConnectionStringBuilder(Postgres) { SearchPath = schema, MaxPoolSize = 40 }.ConnectionString;

    private async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(Postgres);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        foreach (var node in nodes)
        {
            node.Dispose();
        }
        redis.Dispose();
        postgres.Dispose();
        NpgsqlConnection.ClearAllPools();
#pragma warning disable VSTHRD002 // Disposal at the end of a run, on the bench's own thread: nothing else waits.
        ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE").GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
    }
}
