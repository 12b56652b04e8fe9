using Messenger.Protocol.Contracts;
using Messenger.Protocol.Tasks;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Cluster;

/// <summary>
/// One node of a cluster: reads the bus (owning the reader), applies what other nodes say to this node's mirrors
/// (sessions, presence, blocks), and on each sweep records its heartbeat and handles nodes found dead: what was in
/// flight to them is stored, and their users who do not resume elsewhere within the grace period are logged out.
/// </summary>
public sealed class ClusterNode : IClusterInbox, IAsyncDisposable
{
    private readonly IClusterBus bus;
    private readonly IClusterRecord record;
    private readonly ClusterOptions options;
    private readonly TimeProvider time;
    private readonly SessionRegistry sessions;
    private readonly BlockList blocks;
    private readonly TimeSpan resumeGrace;
    private readonly ILogger logger;
    private readonly BackgroundWork reader;
    private readonly CancellationTokenSource stopping = new();

    public ClusterNode(IClusterBus bus, IClusterRecord record, ClusterOptions options, TimeProvider time, ClusterRouting routing, ClusterSessions claims,
        ClusterDirectory directory, SessionRegistry sessions, PresenceAnnouncer presence, LastSeenTracker lastSeen, BlockList blocks,
        IPresenceHistory history, TimeSpan resumeGrace, ILogger logger)
    {
        (this.bus, this.record, this.options, this.time, Routing, Claims, Directory) = (bus, record, options, time, routing, claims, directory);
        (this.sessions, this.blocks, this.resumeGrace, this.logger) = (sessions, blocks, resumeGrace, logger);
        Presence = new ClusterPresence(bus.NodeId, directory, record, presence, lastSeen, history);
        reader = new BackgroundWork((what, failure) => logger.LogError(failure, "Cluster node {Node} failed while {What}", bus.NodeId, what));
    }

    public ClusterRouting Routing { get; }

    public ClusterSessions Claims { get; }

    public ClusterDirectory Directory { get; }

    /// <summary>startprivate and its consent between nodes.</summary>
    public required ClusterPrivates Privates { get; init; }

    /// <summary>p2pDownload's holder queries and reports between nodes.</summary>
    public required ClusterSwarm Swarm { get; init; }

    /// <summary>Rooms' changes and commits between nodes.</summary>
    public required ClusterRooms Rooms { get; init; }

    /// <summary>The operator's users, kick and notices across nodes.</summary>
    public required ClusterOperator Operator { get; init; }

    /// <summary>Other nodes' logins and logouts, as this node's users see them.</summary>
    public ClusterPresence Presence { get; }

    /// <summary>Joins: first heartbeat, the directory from the record, then the bus reader (owned here, awaited at dispose).</summary>
    public async Task StartAsync()
    {
        await Lease.RenewAsync();
        await Claims.SettleAsync(sessions);
        Directory.UpdateLive(await record.LiveNodesAsync(options.DeadAfter), time.GetUtcNow());
        reader.Run($"reading the bus as {bus.NodeId}", () => bus.RunAsync(this, stopping.Token));
    }

    /// <summary>This node's lease: checked before anything from the bus reaches its sessions, and at each sweep.</summary>
    public required ClusterLease Lease { get; init; }

    /// <summary>Applies one item; a failure is logged and the reader goes on with the next (the sender's fallbacks cover it).</summary>
    public async ValueTask ReceiveAsync(ClusterItem item)
    {
        try
        {
            if (!Lease.Held)
            {
                await Lease.FenceAsync(); // Before the item: the others may have stored it already, or settled its user.
            }
            await HandleAsync(item);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Cluster node {Node} could not handle a {Item} from {From}", bus.NodeId, item.GetType().Name, item.From);
        }
    }

    private async Task HandleAsync(ClusterItem item)
    {
        switch (item)
        {
            case DeliverItem deliver:
                await Routing.DeliverAsync(deliver);
                break;
            case OutcomeItem outcome:
                Routing.Answered(outcome);
                break;
            case PokeItem poke:
                await Routing.PokedAsync(poke);
                break;
            case TakeoverItem takeover:
                await Claims.TakeoverAsync(takeover);
                break;
            case TakeoverReply reply:
                Claims.Answered(reply);
                break;
            case SessionEvent change:
                Presence.Apply(change);
                break;
            case BroadcastEvent broadcast:
                await FanOut(broadcast.Sender, broadcast.MessageId, broadcast.Text, DateTimeOffset.FromUnixTimeMilliseconds(broadcast.SentAtMs));
                break;
            case PrivateOfferItem offer:
                Privates.Offered(offer);
                break;
            case PrivateOfferReply reply:
                Privates.Answered(reply);
                break;
            case PrivateConsentItem consent:
                Privates.Consented(consent);
                break;
            case PrivateModeEvent mode:
                Privates.ModeSet(mode);
                break;
            case HolderQueryItem query:
                Swarm.Queried(query);
                break;
            case HolderListReply holders:
                Swarm.Answered(holders);
                break;
            case SwarmReportEvent report:
                Swarm.ReportedElsewhere(report);
                break;
            case RoomChangedEvent room:
                await Rooms.ChangedElsewhereAsync(room);
                break;
            case InvisibleEvent invisible:
                Directory.SetInvisible(invisible.User, invisible.On);
                break;
            case RoomAppendedEvent appended:
                Rooms.AppendedElsewhere(appended);
                break;
            case KickItem kick:
                await Operator.KickedAsync(kick);
                break;
            case KickReply reply:
                Operator.Answered(reply);
                break;
            case NoticeEvent notice:
                Operator.Noticed(notice);
                break;
            case BlockEvent block:
                _ = block.Added ? blocks.Add(block.Blocker, block.Blocked) : blocks.Remove(block.Blocker, block.Blocked);
                break;
        }
    }

    /// <summary>Fans a broadcast from another node out to this node's users (set once at start).</summary>
    public Func<string, long, string, DateTimeOffset, Task<(int Recipients, bool Skipped)>> FanOut { get; set; } =
        (_, _, _, _) => Task.FromResult((0, false));

    /// <summary>
    /// A broadcast from a user of this node: published to every node; the users it is for there are counted from the
    /// directory (online on a live node, not blocking the sender).
    /// </summary>
    public (int Recipients, bool Skipped) Broadcast(string sender, long messageId, string text, DateTimeOffset at)
    {
        bus.Publish(new BroadcastEvent(sender, messageId, text, at.ToUnixTimeMilliseconds()));
        var elsewhere = Directory.UsersOnLiveNodes.Select(entry => entry.User).Where(user => user != sender).ToList();
        var blocking = elsewhere.Count(user => blocks.IsBlocked(user, sender));
        return (elsewhere.Count - blocking, blocking > 0);
    }

    /// <summary>A user of this node went invisible or visible: every other node's whoelse follows.</summary>
    public void InvisibleChanged(string user, bool on) => bus.Publish(new InvisibleEvent(user, on));

    /// <summary>Block lists changed here: every other node's mirror follows.</summary>
    public void BlockChanged(string blocker, string blocked, bool added) => bus.Publish(new BlockEvent(blocker, blocked, added));

    public ValueTask LinkLostAsync(string node) => new(Routing.StoreInFlightAsync(node));

    public async ValueTask BusResetAsync()
    {
        logger.LogWarning("The cluster bus lost its data: storing every message in flight and reloading the directory");
        await Routing.StoreInFlightAsync(node: null);
        Directory.Load(await record.LoadClaimsAsync());
        Rooms.WakeAll();
        foreach (var session in sessions.All)
        {
            await Routing.PokedAsync(new PokeItem(session.User));
        }
    }

    /// <summary>
    /// One sweep: the lease (a fenced node tries to rejoin, and settles nothing for the cluster until it has), the
    /// heartbeat, live nodes, dead nodes' in-flight messages stored, orphans past the grace logged out.
    /// </summary>
    public async Task SweepAsync()
    {
        if (!Lease.Held)
        {
            await Lease.FenceAsync();
            if (!await Lease.RejoinAsync(() => Claims.SettleAsync(sessions)))
            {
                return;
            }
        }
        else if (!await Lease.RenewIfDueAsync())
        {
            return; // Without the record this node cannot judge the others either.
        }
        var now = time.GetUtcNow();
        foreach (var node in Directory.UpdateLive(await record.LiveNodesAsync(options.DeadAfter), now))
        {
            logger.LogWarning("Node {Node} is dead (no heartbeat for {Seconds} s): storing what was in flight to it", node, options.DeadAfter.TotalSeconds);
            await Routing.StoreInFlightAsync(node);
            Rooms.WakeAll(); // Its last commits' events may have died with it.
        }
        foreach (var (node, diedAt) in Directory.DeadNodes.ToList())
        {
            if (now - diedAt >= resumeGrace)
            {
                await Presence.LogOutOrphansAsync(node, diedAt);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await reader.DrainAsync(TimeSpan.FromSeconds(5));
        await Privates.DrainAsync(TimeSpan.FromSeconds(5));
        await Swarm.DrainAsync(TimeSpan.FromSeconds(5));
        await Rooms.DrainAsync(TimeSpan.FromSeconds(5));
        await bus.DisposeAsync();
        stopping.Dispose();
    }
}
