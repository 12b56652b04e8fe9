using System.Security.Cryptography.X509Certificates;
using Messenger.Security;
using Messenger.Server.Admin;
using Messenger.Server.Auth;
using Messenger.Server.Cluster;
using Messenger.Server.Guests;
using Messenger.Server.Dispatch;
using Messenger.Server.History;
using Messenger.Server.Messaging;
using Messenger.Server.Presence;
using Messenger.Server.Private;
using Messenger.Server.Rooms;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;
using Messenger.Server.Storage.Postgres;
using Messenger.Server.Swarm;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Hosting;

/// <summary>
/// The composition root of the server's application logic: builds each feature's handler once, wired to the shared
/// state (sessions, blocks, the store), and hands them to the transport (<c>ConnectionHandler</c>), the console and the
/// host. It holds no logic of its own; docs/ARCHITECTURE.md shows who calls whom.
/// </summary>
public sealed class ServerCore
{
    private ServerCore()
    {
    }

    public required ServerOptions Options { get; init; }

    public required TimeProvider Time { get; init; }

    public required SessionRegistry Sessions { get; init; }

    public required ServerStats Stats { get; init; }

    public required PasswordCheck Passwords { get; init; }

    public required LoginHandler Logins { get; init; }

    public required SendHandler Sending { get; init; }

    public required AckHandler Acks { get; init; }

    public required SessionLifecycle Lifecycle { get; init; }

    public required WhoElseHandler Who { get; init; }

    public required BlockHandler Blocking { get; init; }

    public required PrivateSessionBroker PrivateSessions { get; init; }

    public required SwarmBroker Swarm { get; init; }

    public required OperatorCommands Operator { get; init; }

    /// <summary>The operator's room and history commands.</summary>
    public required RoomAdmin RoomAdmin { get; init; }

    /// <summary>The direct-message history's retention, applied from the sweep.</summary>
    public required HistoryRetention Retention { get; init; }

    /// <summary>Writes nobody waits for (direct-message history); drained at stop.</summary>
    public required WriteBehind WriteBehind { get; init; }

    /// <summary>Direct-message history, written behind (its dropped rows are in the console's stats).</summary>
    public required DirectHistoryWriter History { get; init; }

    /// <summary>Members' acknowledged room positions, written from the sweep and at stop.</summary>
    public required AckedPositionWriter RoomPositions { get; init; }
    public required ServerVersion Version { get; init; }

    /// <summary>Cluster mode: this node's part of the cluster (started by the host); null on a single node.</summary>
    public ClusterNode? Cluster { get; init; }

    /// <summary>Frame type → the feature handler that takes it, for logged-in sessions.</summary>
    public required FrameDispatcher Dispatcher { get; init; }

    /// <summary>Loads what survived the last run (blocks, lockouts, last-seen times, rooms) and builds the handlers.</summary>
    /// <param name="cluster">Null: the single embedded node, exactly as before.</param>
    public static async Task<ServerCore> CreateAsync(ServerOptions options, TimeProvider time, ICredentialStore credentials, IServerStore store, ILogger logger,
        X509Certificate2? signingCertificate = null, ClusterSetup? cluster = null)
    {
        var now = time.GetUtcNow();
        var lockouts = new LockoutTracker(time, options.BlockDuration, await store.LoadLockoutsAsync());
        var blocks = new BlockList((await store.LoadBlocksAsync()).Select(b => (b.Blocker, b.Blocked)));
        var lastSeen = new LastSeenTracker(await store.LoadLastLogoutsAsync(now));
        var tickets = signingCertificate is null ? null : new TicketSigner(signingCertificate, time);
        var ticketKey = signingCertificate is null ? null : Fingerprints.SpkiSha256(signingCertificate);
        var sessions = new SessionRegistry();
        var stats = new ServerStats();

        var guestNames = new GuestNames(credentials) { SharedNumbers = cluster is null ? null : cluster.Record.NextGuestNumberAsync };
        var rules = new RequestRules(credentials, guestNames, sessions);
        var presence = new PresenceAnnouncer(time, sessions, blocks);
        var swarm = new SwarmBroker(options, time, sessions, blocks, tickets, logger);
        // A cluster on PostgreSQL counts wrong passwords under a row lock, exact across nodes.
        ILockouts counted = cluster is not null && store is PostgresStore shared
            ? new ClusterLockouts(shared, time, options.BlockDuration)
            : new TrackedLockouts(lockouts, store);
        var loginLimiter = new LoginRateLimiter(time, options.LoginAttemptsPerAddressPerMinute, options.FailedLoginsPerAddressAndUserPerMinute);
        var passwords = new PasswordCheck(options, credentials, counted, logger, loginLimiter);
        var guests = new GuestLogin(options, time, guestNames, new GuestAddressLimits(time, options.MaxMessagesPerSecond), loginLimiter);
        var privateSessions = new PrivateSessionBroker(sessions, blocks, rules, tickets, time, options.PrivateConsentTimeout, options.PrivateRequestsPerMinute,
            store);
        privateSessions.Modes.Load(await store.LoadUsersWhoAskFirstAsync());
        var version = new ServerVersion(ticketKey);
        var mailboxFullLog = new LogThrottle(time, TimeSpan.FromMinutes(1));
        MessageRouter? router = null;
        var mailbox = new OfflineMailbox(store, options, stats, sessions, guestNames, mailboxFullLog, logger, session => router!.DeliverBacklogAsync(session));
        router = new MessageRouter(options, time, store, stats, sessions, mailbox, swarm, logger);
        var rooms = new RoomDirectory(await store.LoadRoomsAsync());
        var roomRules = new RoomRules(rooms);
        var notices = new RoomNotices(sessions);
        var roomFanOut = new RoomFanOut(store, sessions, blocks, stats);
        var membership = new RoomMembershipHandler(options, time, store, rooms, roomRules, rules, notices, sessions);
        var lifecycle = new SessionLifecycle(options, time, store, sessions, lastSeen, presence, swarm, privateSessions, guests, passwords, mailboxFullLog, router, mailbox, logger,
            membership.LeaveAllAsync);
        var writeBehind = new WriteBehind(logger);
        var history = new DirectHistoryWriter(store, writeBehind, guestNames, logger, options.KeepDirectHistory, time);
        var sending = new SendHandler(time, sessions, blocks, stats, rules, router, history, options.CompactFrames);
        var positions = new AckedPositionWriter(store);
        var catchUp = new RoomCatchUp(store, rooms, blocks, positions);
        var retention = new HistoryRetention(options, time, store, logger);
        var acks = new AckHandler(store, router, options.CompactFrames);
        var who = new WhoElseHandler(time, sessions, blocks, lastSeen);
        var blocking = new BlockHandler(blocks, store, rules, guestNames);
        var dispatcher = new FrameDispatcher(time, logger);
        var invisibility = new InvisibleHandler();
        var roomInfo = new RoomInfoHandler(store, rooms, roomRules, notices, sessions);
        IRequestRoutes[] features =
        [
            sending, acks, lifecycle, who, blocking, privateSessions, swarm, version, invisibility,
            membership,
            roomInfo,
            new RoomMessageHandler(options, time, rooms, roomRules, roomFanOut, catchUp, logger),
            new HistoryHandler(store, roomRules, rules, blocks, writeBehind, options.KeepDirectHistory),
        ];
        foreach (var feature in features)
        {
            feature.Map(dispatcher);
        }
        var logins = new LoginHandler(options, time, store, sessions, presence, passwords, guests, lifecycle, router, catchUp, ticketKey, logger);
        var node = cluster is null ? null : Join(cluster, options, time, sessions, presence, lastSeen, blocks, store, router, mailbox, lifecycle, logins, who, blocking, sending,
            privateSessions, swarm, (rooms, notices, roomFanOut, membership, roomInfo), invisibility, logger);
        var operatorCommands = new OperatorCommands(time, credentials, sessions, presence, lifecycle, router, sending) { Cluster = node?.Operator };
        if (node is not null)
        {
            node.Operator.KickHere = operatorCommands.KickHereAsync;
            node.Operator.NoticeHere = text => operatorCommands.NoticeHere(text);
            rules.OnlineElsewhere = user => node.Directory.RemoteOwner(user) is not null;
            node.Presence.IsGuest = guestNames.IsGuest;
            node.Presence.LeftElsewhere = user => privateSessions.UserLeft(user, guestNames.IsGuest(user));
        }
        return new ServerCore
        {
            Cluster = node,
            Options = options,
            Time = time,
            Sessions = sessions,
            Stats = stats,
            Passwords = passwords,
            Logins = logins,
            Sending = sending,
            Acks = acks,
            Lifecycle = lifecycle,
            Who = who,
            Blocking = blocking,
            PrivateSessions = privateSessions,
            Swarm = swarm,
            Dispatcher = dispatcher,
            Operator = operatorCommands,
            RoomAdmin = new RoomAdmin(store, rooms, notices, sessions, retention),
            Retention = retention,
            WriteBehind = writeBehind,
            History = history,
            RoomPositions = positions,
            Version = version,
        };
    }

    /// <summary>Cluster mode: builds this node's part and plugs it into the handlers that have a remote branch.</summary>
    private static ClusterNode Join(ClusterSetup cluster, ServerOptions options, TimeProvider time, SessionRegistry sessions, PresenceAnnouncer presence,
        LastSeenTracker lastSeen, BlockList blocks, IServerStore store, MessageRouter router, OfflineMailbox mailbox, SessionLifecycle lifecycle,
        LoginHandler logins, WhoElseHandler who, BlockHandler blocking, SendHandler sending, PrivateSessionBroker privates, SwarmBroker swarm,
        (RoomDirectory Directory, RoomNotices Notices, RoomFanOut FanOut, RoomMembershipHandler Membership, RoomInfoHandler Info) rooms,
        InvisibleHandler invisibility,
        ILogger logger)
    {
        var directory = new ClusterDirectory(cluster.Bus.NodeId);
        var routing = new ClusterRouting(cluster.Bus, directory, router, mailbox, sessions, blocks);
        var claims = new ClusterSessions(cluster.Bus, cluster.Record, directory, cluster.Options, time)
        {
            HandOver = lifecycle.HandOverAsync,
            LetGo = lifecycle.LetGoAsync,
        };
        var lease = new ClusterLease(cluster.Record, cluster.Bus.NodeId, cluster.Options, time, logger) { DropLinks = lifecycle.DropLinksAsync };
        var node = new ClusterNode(cluster.Bus, cluster.Record, cluster.Options, time, routing, claims, directory, sessions, presence, lastSeen, blocks,
            store, options.ResumeGracePeriod, logger)
        {
            Lease = lease,
            Privates = new ClusterPrivates(cluster.Bus, directory, privates, cluster.Options, time, logger),
            Swarm = new ClusterSwarm(cluster.Bus, directory, swarm, cluster.Options, options.HolderQueryTimeout, time, logger),
            Rooms = new ClusterRooms(cluster.Bus, store, rooms.Directory, new RoomMirror(rooms.Directory, sessions),
                new RoomTail(store, rooms.Directory, rooms.FanOut, logger), rooms.Notices),
            Operator = new ClusterOperator(cluster.Bus, directory, cluster.Options, time),
        };
        rooms.Notices.Remote = node.Rooms;
        rooms.Membership.Remote = node.Rooms;
        rooms.Info.OnlineElsewhere = directory.IsVisibleElsewhere;
        rooms.FanOut.Committed = node.Rooms.Committed;
        privates.Remote = node.Privates;
        swarm.Remote = node.Swarm;
        router.Remote = routing;
        mailbox.StoredForAbsent = routing.PokeOwner;
        lifecycle.Cluster = claims;
        logins.Cluster = claims;
        logins.Lease = lease;
        who.RemoteUsers = () => directory.VisibleRemoteUsers;
        invisibility.Changed = node.InvisibleChanged;
        blocking.Changed = node.BlockChanged;
        node.FanOut = sending.FanOutAsync;
        sending.RemoteBroadcast = node.Broadcast;
        sending.StartServerMessageIdsAt(time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
        return node;
    }
}
