using System.Security.Cryptography.X509Certificates;
using Messenger.Server.Auth;
using Messenger.Server.Cluster;
using Messenger.Server.Storage;
using Messenger.Server.Storage.Postgres;
using Messenger.Server.Storage.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Server.Hosting;

/// <summary>
/// The first hosted service: loads the credentials file and what survived the last run (blocks, lockouts, last-seen
/// times) and builds the <see cref="ServerCore"/>, before anything can connect. The credentials come first (a missing
/// file stops the start before the data folder is touched: FileNotFoundException, which Program explains). The store is
/// opened here because PostgreSQL's opens asynchronously: SQLite in ./data on a single node, PostgreSQL in cluster mode,
/// where the node then joins the cluster (Redis bus, PostgreSQL record) and starts. At stop it flushes what the core
/// writes behind and leaves the cluster; the container disposes it, and so the store, after every other service.
/// </summary>
public sealed class ServerCoreStartup(IOptions<ServerOptions> options, TimeProvider time, ICredentialStore credentials,
    X509Certificate2 identity, ILoggerFactory loggers) : IHostedService, IDisposable
{
    private static readonly TimeSpan WriteBehindDrainTimeout = TimeSpan.FromSeconds(5);

    private IServerStore? store;
    private ServerCore? core;

    /// <summary>The application core; there from the end of this service's start.</summary>
    public ServerCore Core => core ?? throw new InvalidOperationException("The server has not started.");

    /// <summary>The store the core works on; there once this service's start has opened it.</summary>
    public IServerStore Store => store ?? throw new InvalidOperationException("The server has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var cluster = settings.IsCluster ? settings.Cluster! : null;
        var postgres = cluster is null ? null : await PostgresStore.OpenAsync(cluster.PostgreSql, cluster.NodeId!, cancellationToken);
        store = postgres ?? (IServerStore)SqliteStore.Open(settings.DataDirectory);
        var setup = postgres is null ? null : await JoinClusterAsync(cluster!, postgres);
        // The key signs private-session tickets even in plaintext mode; only TLS needs it on the wire.
        core = await ServerCore.CreateAsync(settings, time, credentials, store, loggers.CreateLogger<ServerCore>(), identity, setup);
        if (core.Cluster is { } node)
        {
            await node.StartAsync();
        }
    }

    /// <summary>
    /// Registered first, so it stops last: every connection has ended and the sweep has stopped. What was written behind
    /// reaches the store before it closes: room positions, then the history queued last; then the node leaves the cluster.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (core is null)
        {
            return;
        }
        await core.RoomPositions.FlushAsync();
        await core.WriteBehind.DrainAsync(WriteBehindDrainTimeout);
        if (core.Cluster is { } node)
        {
            await node.DisposeAsync();
        }
    }

    public void Dispose() => store?.Dispose();

    private async Task<ClusterSetup> JoinClusterAsync(ClusterOptions cluster, PostgresStore shared)
    {
        var bus = await RedisStreamsBus.ConnectAsync(cluster, cluster.NodeId!, loggers.CreateLogger<RedisStreamsBus>());
        return new ClusterSetup(bus, new PostgresClusterRecord(shared.DataSource), cluster);
    }
}
