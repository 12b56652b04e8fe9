using System.Net;
using System.Net.Sockets;
using Messenger.IntegrationTests.Harness;
using Npgsql;

namespace Messenger.IntegrationTests.Cluster;

/// <summary>
/// A real cluster on loopback: server processes (`server ... --cluster`), PostgreSQL (MESSENGER_TEST_PG, default
/// scripts/cluster.sh's 127.0.0.1:55432; a schema of the test's own) and a redis-server of the test's own. Without
/// the engines the test is inconclusive with the reason, or fails where MESSENGER_TEST_ENGINES_REQUIRED=1 (CI).
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private static readonly string PostgresConnection =
        Environment.GetEnvironmentVariable("MESSENGER_TEST_PG") is { Length: > 0 } configured ? configured : "Host=127.0.0.1;Port=55432;Username=mx;Database=messenger";

    private readonly string workDirectory = Path.Combine(Path.GetTempPath(), "messenger-cluster-" + Guid.NewGuid().ToString("N"));
    private readonly string schema = "c_" + Guid.NewGuid().ToString("N");
    private readonly Dictionary<string, (ChildProcess Process, int Port)> nodes = new(StringComparer.Ordinal);
    private readonly List<ChildProcess> clients = [];

    private ProcessCluster(RedisProcess redis) => Redis = redis;

    public RedisProcess Redis { get; }

    public int PortOf(string node) => nodes[node].Port;

    public ChildProcess Node(string node) => nodes[node].Process;

    /// <summary>Starts the engines' part (schema, redis) and the nodes; n1 first, whose key the others share.</summary>
    public static async Task<ProcessCluster> StartAsync(params string[] names)
    {
        await RequireEnginesAsync();
        var cluster = new ProcessCluster(await RedisProcess.StartAsync());
        try
        {
            Directory.CreateDirectory(cluster.workDirectory);
            await File.WriteAllLinesAsync(Path.Combine(cluster.workDirectory, "credentials.txt"), TestDefaults.Accounts.Select(a => $"{a.Key} {a.Value}"));
            // Generous for a busy 2-core CI machine: a stalled heartbeat must not look like a death.
            await File.WriteAllTextAsync(Path.Combine(cluster.workDirectory, "cluster.json"), """{ "Server": { "Cluster": { "DeadAfter": "00:00:04" } } }""");
            await cluster.ExecuteAsync($"CREATE SCHEMA {cluster.schema}");
            foreach (var name in names)
            {
                await cluster.StartNodeAsync(name);
            }
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync(); // A start that failed half way leaves no redis-server or node running.
            throw;
        }
    }

    public async Task StartNodeAsync(string name)
    {
        var data = Path.Combine(workDirectory, name);
        Directory.CreateDirectory(data);
        var first = Path.Combine(workDirectory, nodes.Keys.FirstOrDefault() ?? name, "server.p12");
        if (nodes.Count > 0 && File.Exists(first))
        {
            File.Copy(first, Path.Combine(data, "server.p12"), overwrite: true);
        }
        var port = FreePort();
        var connection = new NpgsqlConnectionStringBuilder(PostgresConnection) { SearchPath = schema }.ConnectionString;
        var process = ChildProcess.Start("server.dll", workDirectory, port.ToString(), "60", "300", "--listen", "127.0.0.1", "--plaintext",
            "--data-dir", data, "--credentials", "credentials.txt", "--config", "cluster.json",
            "--cluster", "--node-id", name, "--postgres", connection, "--redis", Redis.Endpoint);
        nodes[name] = (process, port);
        await process.Output.WaitForLineAsync($"Listening on 127.0.0.1:{port}");
    }

    /// <summary>kill -9 of a node.</summary>
    public Task KillAsync(string node) => nodes[node].Process.KillAsync();

    /// <summary>A line-mode client of <paramref name="user"/> on <paramref name="node"/>, which fails over to <paramref name="others"/>.</summary>
    public async Task<ChildProcess> ClientAsync(string user, string node, params string[] others)
    {
        var arguments = new List<string> { "127.0.0.1", PortOf(node).ToString(), "--plaintext" };
        if (others.Length > 0)
        {
            arguments.AddRange(["--servers", string.Join(',', others.Select(o => $"127.0.0.1:{PortOf(o)}"))]);
        }
        var client = ChildProcess.Start("client.dll", Path.Combine(workDirectory), [.. arguments]);
        clients.Add(client);
        client.Type(user);
        client.Type(TestDefaults.Accounts[user]);
        await client.Output.WaitForLineAsync($"Welcome to MessengerSuite, {user}!");
        return client;
    }

    /// <summary>
    /// Waits until <paramref name="client"/> has shown every line in <paramref name="expected"/>, in any order: across a
    /// failover a stored copy may come after a newer live one (the one ordering exception, docs/ARCHITECTURE.md). A
    /// stored copy is shown with its sending time after the text, so lines are matched by their start.
    /// </summary>
    public static async Task WaitForAllAsync(ChildProcess client, IReadOnlyCollection<string> expected)
    {
        bool AllShown() => expected.All(text => TimesShown(client, text) > 0);
        if (!AllShown())
        {
            await client.Output.WaitForAsync(_ => AllShown(), $"all of: {string.Join(" | ", expected)}");
        }
    }

    /// <summary>How many lines show <paramref name="text"/> (live: exactly; stored: followed by its sending time).</summary>
    public static int TimesShown(ChildProcess client, string text) =>
        client.Output.Lines.Count(line => line == text || line.StartsWith(text + " (sent ", StringComparison.Ordinal));

    /// <summary>Stops everything; a node that logged an error (or worse) fails the test, as TestServer does.</summary>
    public async ValueTask DisposeAsync()
    {
        var errors = new List<string>();
        try
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
            errors.AddRange(nodes.SelectMany(node => node.Value.Process.Errors.Lines
                .Where(line => line.StartsWith("error", StringComparison.Ordinal) || line.StartsWith("critical", StringComparison.Ordinal))
                .Select(line => $"{node.Key}: {line}")));
            foreach (var (process, _) in nodes.Values)
            {
                await process.DisposeAsync();
            }
        }
        finally
        {
            await Redis.DisposeAsync(); // Even when a node would not stop: an orphaned redis-server outlives the test run.
        }
        try
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
        {
            errors.Add($"the test's schema {schema} could not be dropped: {ex.Message}");
        }
        try
        {
            Directory.Delete(workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
        if (errors.Count > 0)
        {
            throw new AssertFailedException("A node logged errors:\n  " + string.Join("\n  ", errors));
        }
    }

    private static async Task RequireEnginesAsync()
    {
        string? missing = RedisProcess.FindBinary() is null ? "redis-server is not installed" : null;
        if (missing is null)
        {
            try
            {
                var probe = new NpgsqlConnectionStringBuilder(PostgresConnection) { Timeout = 3, Pooling = false };
                await using var connection = new NpgsqlConnection(probe.ConnectionString);
                await connection.OpenAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or SocketException)
            {
                missing = $"PostgreSQL is not reachable ({ex.Message})";
            }
        }
        if (missing is not null)
        {
            var message = $"{missing}; start the engines with `scripts/cluster.sh engines` (or set MESSENGER_TEST_PG).";
            if (Environment.GetEnvironmentVariable("MESSENGER_TEST_ENGINES_REQUIRED") == "1")
            {
                Assert.Fail(message);
            }
            Assert.Inconclusive(message);
        }
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(PostgresConnection);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
