using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Security;
using Messenger.Server.Cluster;
using Messenger.Server.Hosting;
using Messenger.Server.Storage.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Cluster;

/// <summary>
/// Several nodes in one process: each a full <see cref="ServerCore"/>, joined by an <see cref="InMemoryClusterNetwork"/>
/// (with its fault knobs) and an <see cref="InMemoryClusterRecord"/>, sharing one store as the nodes of a real cluster
/// share PostgreSQL, all on one <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class InProcessCluster : IAsyncDisposable
{
    public static readonly ClusterOptions Settings = new() { DeadAfter = TimeSpan.FromSeconds(3), TakeoverTimeout = TimeSpan.FromSeconds(2) };

    /// <summary>The one key every node signs tickets with, as scripts/cluster.sh copies n1's to the others.</summary>
    private static readonly X509Certificate2 SharedKey = CertificateFactory.CreateSelfSigned("messenger-cluster-test", new FakeTimeProvider(Start));

    /// <summary>What clients pin for the cluster: tickets from any node verify against it.</summary>
    public static string TicketKey { get; } = Fingerprints.SpkiSha256(SharedKey);

    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "messenger-cluster-test-" + Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, ServerCore> nodes = new(StringComparer.Ordinal);
    private readonly SqliteStore store;
    private readonly AnyPasswordCredentials credentials = new("alice", "bob", "carol", "dave", "erin");
    private readonly HashSet<string> killed = new(StringComparer.Ordinal);
    private readonly HashSet<string> paused = new(StringComparer.Ordinal);

    private InProcessCluster()
    {
        store = SqliteStore.Open(dataDirectory);
        Record = new InMemoryClusterRecord(Clock);
    }

    private static DateTimeOffset Start => new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    public FakeTimeProvider Clock { get; } = new(Start);

    public InMemoryClusterNetwork Network { get; } = new();

    public InMemoryClusterRecord Record { get; }

    /// <summary>What every node logged at warning and above (a fault should be a warning; an error is a defect).</summary>
    public NodeLog Log { get; } = new();

    public ServerOptions Options { get; } = new() { ResumeGracePeriod = TimeSpan.FromSeconds(30), BlockDuration = TimeSpan.FromSeconds(60), AllowGuests = true };

    public ServerCore this[string node] => nodes[node];

    public static async Task<InProcessCluster> StartAsync(params string[] names)
    {
        var cluster = new InProcessCluster();
        foreach (var name in names)
        {
            var core = await ServerCore.CreateAsync(cluster.Options, cluster.Clock, cluster.credentials, cluster.store, cluster.Log, SharedKey,
                cluster: new ClusterSetup(cluster.Network.Join(name), cluster.Record, Settings));
            cluster.nodes[name] = core;
        }
        foreach (var core in cluster.nodes.Values)
        {
            await core.Cluster!.StartAsync();
        }
        await cluster.SweepAsync(); // Every node sees every other alive.
        return cluster;
    }

    /// <summary>Three nodes, alice logged in on n1 and bob on n2, and n1 has told alice of bob's login.</summary>
    public static async Task<(InProcessCluster Cluster, TestUser Alice, TestUser Bob)> AliceOnN1AndBobOnN2Async()
    {
        var cluster = await StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);
        return (cluster, alice, bob);
    }

    /// <summary>Three nodes with alice on n1, bob on n2 and carol on n3, and n1 has told alice of both others' logins.</summary>
    public static async Task<(InProcessCluster Cluster, TestUser Alice, TestUser Bob, TestUser Carol)> AliceBobAndCarolOnThreeNodesAsync()
    {
        var cluster = await StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        var carol = await cluster.LoginAsync("carol", "n3");
        await alice.PresenceAsync("bob", PresenceKind.LoggedIn);
        await alice.PresenceAsync("carol", PresenceKind.LoggedIn);
        return (cluster, alice, bob, carol);
    }

    /// <summary>
    /// Logs in with the password on <paramref name="node"/>; fails the test unless accepted. The client takes peers on
    /// <see cref="PeerPortOf"/> with the key <see cref="PeerKeyOf"/>, as a real client registers them.
    /// </summary>
    public async Task<TestUser> LoginAsync(string user, string node)
    {
        var link = new WatchedLink();
        var session = await nodes[node].Logins.LoginAsync(link, 1,
            new LoginRequest(user, AnyPasswordCredentials.Password, PeerPort: PeerPortOf(user), PeerFingerprint: PeerKeyOf(user)));
        var accepted = await link.ExpectAsync(FrameType.LoginAccepted, ProtocolJsonContext.Default.LoginAccepted);
        Assert.IsNotNull(session, $"{user} could not log in on {node}");
        return new TestUser(nodes[node], session, link, accepted.ResumeToken);
    }

    /// <summary>A guest login (`guest`, no password) on <paramref name="node"/>: the name the node gave it.</summary>
    public async Task<string> GuestAsync(string node) => (await GuestLoginAsync(node)).Name;

    /// <summary>A guest login on <paramref name="node"/>, watched like a user's (its resume token too).</summary>
    public async Task<TestUser> GuestLoginAsync(string node)
    {
        var link = new WatchedLink();
        var session = await nodes[node].Logins.LoginAsync(link, 1, new LoginRequest("guest", "", PeerPort: PeerPortOf("guest"), PeerFingerprint: PeerKeyOf("guest")));
        var accepted = await link.ExpectAsync(FrameType.LoginAccepted, ProtocolJsonContext.Default.LoginAccepted);
        Assert.IsNotNull(session, $"no guest session on {node}");
        return new TestUser(nodes[node], session, link, accepted.ResumeToken);
    }

    public static int PeerPortOf(string user) => 40_000 + user[0];

    public static string PeerKeyOf(string user) => Fingerprints.Format(SHA256.HashData(Encoding.UTF8.GetBytes(user)));

    /// <summary>The client of <paramref name="user"/> reconnects to <paramref name="node"/> with its resume token.</summary>
    public async Task<(TestUser? User, WatchedLink Link)> ResumeAsync(TestUser user, string node)
    {
        var link = new WatchedLink();
        var session = await nodes[node].Logins.LoginAsync(link, 2,
            new LoginRequest(user.Name, ResumeToken: user.ResumeToken, PeerPort: PeerPortOf(user.Name), PeerFingerprint: PeerKeyOf(user.Name)));
        return (session is null ? null : new TestUser(nodes[node], session, link, user.ResumeToken), link);
    }

    /// <summary>kill -9 of a node: nothing reaches it or leaves it, and it stops its heartbeat.</summary>
    public void Kill(string node)
    {
        killed.Add(node);
        Network.Kill(node);
    }

    /// <summary>
    /// SIGSTOP of a node: it neither sweeps (no heartbeat) nor reads the bus (its items wait, in order); its clients'
    /// connections stay open. <see cref="Continue"/> is SIGCONT.
    /// </summary>
    public void Pause(string node)
    {
        paused.Add(node);
        Network.Hold(node);
    }

    /// <summary>SIGCONT: the node reads what waited for it at once and sweeps with the others again.</summary>
    public void Continue(string node)
    {
        paused.Remove(node);
        Network.Release(node);
    }

    /// <summary>One sweep on every live node that is not paused (heartbeats, dead nodes, orphans).</summary>
    public async Task SweepAsync()
    {
        foreach (var (name, core) in nodes)
        {
            if (!killed.Contains(name) && !paused.Contains(name))
            {
                await core.Cluster!.SweepAsync();
            }
        }
    }

    /// <summary>Moves the clock on in sweep-sized steps, sweeping each time, as the server's timer would.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        for (var passed = TimeSpan.Zero; passed < by; passed += Options.SweepInterval)
        {
            Clock.Advance(Options.SweepInterval);
            await SweepAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var core in nodes.Values)
        {
            await core.Cluster!.DisposeAsync();
        }
        store.Dispose();
        Directory.Delete(dataDirectory, recursive: true);
    }
}
