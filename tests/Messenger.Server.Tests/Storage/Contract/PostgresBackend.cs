using Messenger.Server.Storage;
using Messenger.Server.Storage.Postgres;
using Npgsql;

namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>
/// PostgreSQL at MESSENGER_TEST_PG (default: scripts/cluster.sh's 127.0.0.1:55432), each test in a schema of its own
/// that is dropped afterwards. With no server reachable the test is inconclusive, with the reason, unless
/// MESSENGER_TEST_ENGINES_REQUIRED=1 (CI sets it, and starts the engines) makes it a failure.
/// </summary>
public sealed class PostgresBackend : IStoreBackend
{
    public static readonly string ConnectionString =
        Environment.GetEnvironmentVariable("MESSENGER_TEST_PG") is { Length: > 0 } configured
            ? configured
            : "Host=127.0.0.1;Port=55432;Username=mx;Database=messenger";

    // Probed once per test run (a race only probes twice).
    private static Task<string?>? unreachable;

    private readonly string schema = "t_" + Guid.NewGuid().ToString("N");

    /// <summary>The connection string of this test's schema.</summary>
    public string SchemaConnectionString => new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;

    public async Task<IServerStore> OpenAsync()
    {
        await RequireServerAsync();
        await ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {schema}");
        return await PostgresStore.OpenAsync(SchemaConnectionString, nodeId: "test-node");
    }

    /// <summary>Skips (or, where engines are required, fails) the test when no PostgreSQL server answers.</summary>
    public static async Task RequireServerAsync()
    {
        if (await (unreachable ??= ProbeAsync()) is { } reason)
        {
            var message = $"PostgreSQL is not reachable ({reason}); start it with `scripts/cluster.sh engines` or set MESSENGER_TEST_PG.";
            if (Environment.GetEnvironmentVariable("MESSENGER_TEST_ENGINES_REQUIRED") == "1")
            {
                Assert.Fail(message);
            }
            Assert.Inconclusive(message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (unreachable is { IsCompletedSuccessfully: true } probe && await probe is null)
        {
            await ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
    }

    private static async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> ProbeAsync()
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 3, Pooling = false };
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            return null;
        }
        catch (Exception error) when (error is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            var parsed = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"{parsed.Host}:{parsed.Port}: {error.Message}";
        }
    }
}
