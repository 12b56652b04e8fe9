using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Messenger.Security;
using Messenger.Protocol;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;
using Messenger.Server.Auth;
using Messenger.Server.Hosting;
using Messenger.Server.Presence;
using Messenger.Server.Private;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;
using Messenger.Server.Swarm;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Messaging;

/// <summary>
/// The server's application logic: login, routing with end-to-end acknowledgement, offline delivery, presence,
/// blocking, timeouts. It speaks in frames to <see cref="IClientLink"/>s and knows nothing of sockets.
/// Delivery guarantee (docs/ARCHITECTURE.md "Delivery"): a message is answered `delivered` only after the
/// recipient's client acknowledged it, `stored` only after the store committed it; an unacknowledged message
/// goes to the store when its recipient's connection ends.
/// </summary>
public sealed class ChatService
{
    private readonly ServerOptions options;
    private readonly TimeProvider time;
    private readonly ICredentialStore credentials;
    private readonly IServerStore store;
    private readonly ILogger logger;
    private readonly BlockList blocks;
    private readonly LastSeenTracker lastSeen;
    private readonly PresenceAnnouncer presence;
    private readonly LogThrottle mailboxFullLog;
    /// <summary>
    /// Stored messages sent to a client per page of its backlog (at most; fewer when MaxUnacknowledgedMessages is small
    /// or the texts are long); the next page goes once fewer than half are unacknowledged. A replay alone never trips
    /// the slow-consumer bounds.
    /// </summary>
    private const int BacklogPageSize = 500;

    private long nextDeliveryId;
    private long nextBroadcastId;

    private ChatService(ServerOptions options, TimeProvider time, ICredentialStore credentials, IServerStore store, ILogger logger,
        BlockList blocks, LastSeenTracker lastSeen, SessionRegistry sessions)
    {
        Sessions = sessions;
        this.options = options;
        this.time = time;
        this.credentials = credentials;
        this.store = store;
        this.logger = logger;
        this.blocks = blocks;
        this.lastSeen = lastSeen;
        presence = new PresenceAnnouncer(time, Sessions, blocks);
        mailboxFullLog = new LogThrottle(time, TimeSpan.FromMinutes(1));
    }

    public SessionRegistry Sessions { get; }

    public ServerOptions Options => options;

    public TimeProvider Time => time;

    /// <summary>Password logins: rate limits, registration, the lockout.</summary>
    public PasswordCheck Passwords { get; private init; } = null!;

    /// <summary>The shared checks of a text and a target user.</summary>
    public RequestRules Rules { get; private init; } = null!;

    public WhoElseHandler Who { get; private init; } = null!;

    public BlockHandler Blocking { get; private init; } = null!;

    public PrivateSessionBroker PrivateSessions { get; private init; } = null!;

    public SwarmBroker Swarm { get; private init; } = null!;

    private string? TicketKey { get; init; }

    /// <summary>Per-address ceiling on login attempts (DESIGN: limits that stop abuse from one connection or host).</summary>
    public bool AllowLoginAttempt(IClientLink link) => Passwords.AllowAttempt(link.RemoteAddress);

    public ServerStats Stats { get; } = new();

    /// <summary>Loads what survived the last run (blocks, lockouts, last-seen times) into memory.</summary>
    public static async Task<ChatService> CreateAsync(ServerOptions options, TimeProvider time, ICredentialStore credentials, IServerStore store, ILogger logger,
        X509Certificate2? signingCertificate = null)
    {
        var now = time.GetUtcNow();
        var lockouts = new LockoutTracker(time, options.BlockDuration, await store.LoadLockoutsAsync());
        var blocks = new BlockList((await store.LoadBlocksAsync()).Select(b => (b.Blocker, b.Blocked)));
        var lastSeen = new LastSeenTracker(await store.LoadLastLogoutsAsync(now));
        var sessions = new SessionRegistry();
        var rules = new RequestRules(credentials);
        var tickets = signingCertificate is null ? null : new TicketSigner(signingCertificate, time);
        return new ChatService(options, time, credentials, store, logger, blocks, lastSeen, sessions)
        {
            Rules = rules,
            Who = new WhoElseHandler(time, sessions, blocks, lastSeen),
            Blocking = new BlockHandler(blocks, store, rules),
            PrivateSessions = new PrivateSessionBroker(sessions, blocks, rules, tickets),
            Swarm = new SwarmBroker(options, time, sessions, blocks, tickets, logger),
            Passwords = new PasswordCheck(options, credentials, lockouts, store, logger,
                new LoginRateLimiter(time, options.LoginAttemptsPerAddressPerMinute, options.FailedLoginsPerAddressAndUserPerMinute)),
            TicketKey = signingCertificate is null ? null : Fingerprints.SpkiSha256(signingCertificate),
        };
    }

    // ---------------------------------------------------------------- login

    /// <summary>Handles a login or resume. Returns the session when the link is now logged in.</summary>
    public async Task<Session?> LoginAsync(IClientLink link, uint requestId, LoginRequest request)
    {
        if (!UserNames.IsValid(request.Username))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.BadRequest, "A user name is 1 to 32 letters, digits, '_', '-' or '.'.", Reasons.BadRequest));
            return null;
        }
        if (request.ResumeToken is { } token)
        {
            return await ResumeAsync(link, requestId, request.Username, token, request);
        }
        var user = request.Username;
        if (!await Passwords.CheckAsync(link, requestId, user, request.Password ?? ""))
        {
            return null;
        }

        var existing = Sessions.Find(user);
        if (existing is not null)
        {
            // A session whose client is gone (detached) may be taken over by a password login; a live one may not.
            lock (existing.Gate)
            {
                if (!existing.Ended && existing.Link is null)
                {
                    existing.Attach(link);
                    SetPeer(existing, link, request);
                    existing.LastActivity = time.GetUtcNow();
                }
                else
                {
                    existing = null;
                }
            }
            if (existing is null)
            {
                link.TrySend(ServerFrames.Response(requestId, StatusCode.Conflict,
                    $"{user} is already logged in elsewhere.", Reasons.AlreadyLoggedIn));
                return null;
            }
            await AcceptAsync(existing, link, requestId, resumed: true);
            return existing;
        }

        var session = new Session(user, NewResumeToken(), link, time.GetUtcNow(), new TokenBucket(time, options.MaxMessagesPerSecond));
        SetPeer(session, link, request);
        if (!Sessions.TryAdd(session))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.Conflict, $"{user} is already logged in elsewhere.", Reasons.AlreadyLoggedIn));
            return null;
        }
        await store.RecordLoginAsync(user, session.LoggedInAt);
        // Announced before the user hears "accepted": by then everyone online has been told (or it is in the digest).
        presence.Publish(user, PresenceKind.LoggedIn);
        await AcceptAsync(session, link, requestId, resumed: false);
        logger.LogInformation("{User} logged in from {Address}", user, link.RemoteAddress);
        return session;
    }

    private async Task<Session?> ResumeAsync(IClientLink link, uint requestId, string user, string token, LoginRequest request)
    {
        var session = Sessions.Find(user);
        IClientLink? replaced = null;
        if (session is not null)
        {
            lock (session.Gate)
            {
                if (session.Ended || !CryptographicOperations.FixedTimeEquals(
                        System.Text.Encoding.UTF8.GetBytes(session.ResumeToken), System.Text.Encoding.UTF8.GetBytes(token)))
                {
                    session = null;
                }
                else
                {
                    replaced = session.Link;
                }
            }
        }
        if (session is null)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.Unauthorized, "That session has ended; log in again.", Reasons.BadResumeToken));
            return null;
        }
        if (replaced is not null)
        {
            // The old link is stale (the client would not resume otherwise): its unacknowledged messages go to the
            // store first, and are delivered again below, so nothing is lost in the swap.
            await DetachAsync(session, replaced);
            replaced.Close(Reasons.Replaced);
        }
        lock (session.Gate)
        {
            session.Attach(link);
            SetPeer(session, link, request);
        }
        await AcceptAsync(session, link, requestId, resumed: true);
        logger.LogInformation("{User} resumed from {Address}", user, link.RemoteAddress);
        return session;
    }

    private void SetPeer(Session session, IClientLink link, LoginRequest request)
    {
        session.PeerPort = request.PeerPort is > 0 and <= 65535 ? request.PeerPort : 0;
        session.PeerFingerprint = Fingerprints.TryNormalize(request.PeerFingerprint, out var fingerprint) ? fingerprint : null;
        (session.PeerHost, session.PeerHostRefused) = PeerAddressPolicy.Choose(request.PeerHost, link.RemoteAddress, options.AllowAdvertisedPeerHost);
    }

    private async Task AcceptAsync(Session session, IClientLink link, uint requestId, bool resumed)
    {
        var welcome = resumed ? $"Welcome back, {session.User}." : $"Welcome to MessengerSuite, {session.User}!";
        if (session.PeerHostRefused is { } refused)
        {
            welcome += $" (Your advertised peer address '{refused}' is not used: {refused.Reason} Peers reach you at {link.RemoteAddress}.)";
        }
        link.TrySend(ServerFrames.LoginAccepted(requestId,
            new LoginAccepted(session.User, session.ResumeToken, welcome, resumed, time.GetUtcNow().ToUnixTimeMilliseconds(), TicketKey)));
        await DeliverBacklogAsync(session);
    }

    /// <summary>
    /// Sends the attached client the next page of its stored backlog, if it has acknowledged most of the last one
    /// (see <see cref="BacklogReplay"/>). Called on attach, on acknowledgements while the backlog drains, and after a
    /// store write for the user; calls that meet a running load make it load again instead.
    /// </summary>
    private async Task DeliverBacklogAsync(Session session)
    {
        // A page (with what else waits for an acknowledgement) stays well inside the slow-consumer bounds.
        var pageSize = Math.Clamp(options.MaxUnacknowledgedMessages / 2, 1, BacklogPageSize);
        var again = true;
        while (again)
        {
            BacklogLoad load;
            lock (session.Gate)
            {
                if (session.Link is null || !session.Backlog.TryBeginLoad(session.PendingStoreRowCount, Math.Max(1, pageSize / 2), out load))
                {
                    return;
                }
            }
            IReadOnlyList<StoredMessage> page;
            try
            {
                page = await store.LoadOfflineAsync(session.User, load.AfterRow, pageSize);
            }
            catch
            {
                lock (session.Gate)
                {
                    session.Backlog.AbortLoad();
                }
                throw;
            }
            var full = page.Count == pageSize;
            lock (session.Gate)
            {
                if (session.Link is { } link && session.Backlog.IsCurrent(load))
                {
                    foreach (var message in page)
                    {
                        if (session.PendingBytes >= options.MaxUnacknowledgedBytes / 2)
                        {
                            full = true; // Long texts: the rest waits for acknowledgements, like a full page.
                            break;
                        }
                        session.Backlog.Sent(message.Id);
                        if (!session.HasPendingStoreRow(message.Id))
                        {
                            var delivery = new PendingDelivery(Interlocked.Increment(ref nextDeliveryId), message, IsBroadcast: false, session.Backlog.TakeParked(message.Id));
                            // Detached: the session's store queue owns that store (this replay runs on that queue, so it
                            // must not wait for it); the next attach replays the backlog again from the store.
                            if (SendPending(session, link, delivery, frame: null, wasStored: true) is not null)
                            {
                                break;
                            }
                        }
                    }
                }
                again = session.Backlog.EndLoad(load, full);
            }
        }
    }

    private static string NewResumeToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    // ---------------------------------------------------------------- messages

    public async Task SendAsync(Session sender, IClientLink link, uint requestId, SendMessageRequest request)
    {
        Touch(sender);
        if (!Rules.ValidateText(link, requestId, request.Text) || !Rules.ValidateTarget(sender, link, requestId, request.To, "message"))
        {
            return;
        }
        if (blocks.IsBlocked(request.To, sender.User))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.Forbidden,
                $"Your message could not be delivered as {request.To} has blocked you.", Reasons.BlockedByRecipient));
            return;
        }

        var waiter = new SendWaiter(sender, link, requestId, request.MessageId);
        lock (sender.Gate)
        {
            // A resend (same id) after a reconnect: answer with what became of the first, or wait for it.
            if (sender.FindSent(request.MessageId) is { } previous)
            {
                if (previous.Outcome is { } outcome)
                {
                    link.TrySend(ServerFrames.SendResult(requestId, request.MessageId, outcome));
                }
                else
                {
                    sender.RememberSent(request.MessageId, previous with { Waiters = [.. previous.Waiters, waiter] });
                }
                return;
            }
            if (!sender.SendLimiter.TryTake())
            {
                link.TrySend(ServerFrames.Response(requestId, StatusCode.TooManyRequests,
                    "You are sending too fast; slow down and try again.", Reasons.RateLimited));
                return;
            }
            sender.RememberSent(request.MessageId, new SentMessageState(null, [waiter]));
        }

        var message = new StoredMessage(0, sender.User, request.To, request.MessageId, request.Text, time.GetUtcNow());
        await RouteAsync(message, isBroadcast: false, waiter);
    }

    /// <summary>Delivers to the recipient's connection if it has one, else stores (in order with its other stores).</summary>
    private Task RouteAsync(StoredMessage message, bool isBroadcast, SendWaiter? waiter)
    {
        if (Sessions.Find(message.Recipient) is { } recipient)
        {
            lock (recipient.Gate)
            {
                if (recipient.Link is { } link)
                {
                    var delivery = new PendingDelivery(Interlocked.Increment(ref nextDeliveryId), message, isBroadcast, waiter);
                    return Deliver(recipient, link, delivery) ?? Task.CompletedTask;
                }
                if (!recipient.Ended)
                {
                    return StoreForSession(recipient, message, waiter);
                }
            }
        }
        return StoreAsync(message, waiter, recipient: null);
    }

    public async Task BroadcastAsync(Session sender, IClientLink link, uint requestId, BroadcastRequest request)
    {
        Touch(sender);
        if (!Rules.ValidateText(link, requestId, request.Text))
        {
            return;
        }
        lock (sender.Gate)
        {
            if (!sender.SendLimiter.TryTake())
            {
                link.TrySend(ServerFrames.Response(requestId, StatusCode.TooManyRequests,
                    "You are sending too fast; slow down and try again.", Reasons.RateLimited));
                return;
            }
        }
        // Broadcast ids are the server's own and negative, so they never collide with a client's message ids.
        var messageId = -Interlocked.Increment(ref nextBroadcastId);
        var now = time.GetUtcNow();
        // One delivery id for every receiver (ids only need to be unique per receiver), so the frame is encoded once.
        var deliveryId = Interlocked.Increment(ref nextDeliveryId);
        var frame = ServerFrames.Incoming(new IncomingMessage(deliveryId, sender.User, request.Text, messageId, now.ToUnixTimeMilliseconds(), true, false));
        var recipients = 0;
        var skipped = false;
        List<Task>? stores = null;
        foreach (var recipient in Sessions.All)
        {
            if (ReferenceEquals(recipient, sender))
            {
                continue;
            }
            if (blocks.IsBlocked(recipient.User, sender.User))
            {
                skipped |= recipient.Link is not null;
                continue;
            }
            var message = new StoredMessage(0, sender.User, recipient.User, messageId, request.Text, now);
            lock (recipient.Gate)
            {
                if (recipient.Link is { } recipientLink)
                {
                    if (Deliver(recipient, recipientLink, new PendingDelivery(deliveryId, message, IsBroadcast: true, Waiter: null), frame) is { } storing)
                    {
                        (stores ??= []).Add(storing);
                    }
                    recipients++;
                }
            }
        }
        Stats.MessageRouted(recipients);
        link.TrySend(ServerFrames.BroadcastResult(requestId, recipients, skipped));
        if (stores is not null)
        {
            await Task.WhenAll(stores);
        }
    }

    /// <summary>
    /// Caller holds the recipient's gate. Sends to the attached link and keeps the delivery until acknowledged; while
    /// the recipient's stored backlog is still draining, the message joins the end of it instead (returns that store
    /// write), so it cannot overtake older messages. <paramref name="frame"/> is the delivery already encoded.
    /// </summary>
    private Task? Deliver(Session recipient, IClientLink link, PendingDelivery delivery, byte[]? frame = null)
    {
        if (recipient.Backlog.Draining)
        {
            return StoreForSession(recipient, delivery.Message, delivery.Waiter);
        }
        Stats.MessageRouted();
        return SendPending(recipient, link, delivery, frame, wasStored: false);
    }

    /// <summary>
    /// Caller holds the recipient's gate. Keeps the delivery until acknowledged and queues it on the link. A client that
    /// reads but does not acknowledge is cut as a slow consumer once too much waits for it. A link that is closing, for
    /// that or any reason, detaches its session at once: the read loop's end can come a second or more later under
    /// load, and a storm kept 16,000 deliveries (130 MB) in memory for a cut client until then (issue 12). Returns the
    /// store of what was unacknowledged, this delivery included, when it detached.
    /// </summary>
    private Task? SendPending(Session recipient, IClientLink link, PendingDelivery delivery, byte[]? frame, bool wasStored)
    {
        recipient.AddPending(delivery);
        if (!link.IsOpen)
        {
            return DetachLocked(recipient);
        }
        if (recipient.PendingCount > options.MaxUnacknowledgedMessages || recipient.PendingBytes > options.MaxUnacknowledgedBytes)
        {
            logger.LogWarning("Disconnecting {User}: {Count} messages ({Bytes} bytes) unacknowledged ({Policy})",
                recipient.User, recipient.PendingCount, recipient.PendingBytes, "disconnect-when-unacknowledged-bound-reached");
            Stats.SlowConsumerDisconnected();
            link.Abort(Reasons.SlowConsumer);
            return DetachLocked(recipient);
        }
        // False: the link closed just now (its outbound bound, or gone).
        return link.TrySend(frame ?? ServerFrames.Incoming(ToIncoming(delivery, wasStored)), OutboundLane.Bulk) ? null : DetachLocked(recipient);
    }

    /// <summary>
    /// Caller holds the session's gate and its link is closing or gone. Detaches (the session waits for a resume) and
    /// stores everything unacknowledged behind the session's other store writes, in order. Nobody waits for the holder
    /// queries of a user without a connection.
    /// </summary>
    private Task DetachLocked(Session session)
    {
        var unacknowledged = session.Detach(time.GetUtcNow());
        var parked = session.Backlog.TakeAllParked();
        var user = session.User;
        return session.EnqueueStore(async () =>
        {
            Swarm.StopWaitingFor(user);
            await StoreUnacknowledgedAsync(unacknowledged, parked);
        }, () => DeliverBacklogAsync(session));
    }

    /// <summary>Caller holds the recipient's gate. Stores behind the session's other store writes, then offers the backlog.</summary>
    private Task StoreForSession(Session recipient, StoredMessage message, SendWaiter? waiter) =>
        recipient.EnqueueStore(() => StoreAsync(message, waiter, recipient), () => DeliverBacklogAsync(recipient));

    /// <param name="recipient">The session whose store queue runs this write, if any (else the recipient was offline).</param>
    private async Task StoreAsync(StoredMessage message, SendWaiter? waiter, Session? recipient)
    {
        // Every stored message counts against the recipient's mailbox cap, checked atomically with the insert: a user's
        // message is refused with an answer; a copy nobody waits for (a broadcast in flight to a dropped connection, an
        // operator message) is dropped and logged.
        long? row;
        try
        {
            row = await store.StoreOfflineIfRoomAsync(message, options.MaxStoredMessagesPerRecipient);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not store a message from {Sender} for {Recipient}", message.Sender, message.Recipient);
            if (waiter is not null)
            {
                Forget(waiter);
                waiter.Link.TrySend(ServerFrames.Response(waiter.RequestId, StatusCode.ServerError, "The server could not store your message; try again.", Reasons.ServerError));
            }
            return;
        }
        if (row is not { } rowId)
        {
            if (waiter is null)
            {
                if (mailboxFullLog.ShouldLog(message.Recipient))
                {
                    logger.LogWarning("{Recipient}'s mailbox is full: a copy of message {MessageId} from {Sender} was dropped (more drops for {Recipient} are counted, reported each minute)",
                        message.Recipient, message.MessageId, message.Sender, message.Recipient);
                }
                return;
            }
            Forget(waiter);
            waiter.Link.TrySend(ServerFrames.Response(waiter.RequestId, StatusCode.TooManyRequests,
                $"{message.Recipient}'s mailbox is full; the message was not stored.", Reasons.MailboxFull));
            return;
        }
        Stats.MessageStored();
        if (waiter is not null && WaitForBacklogDelivery(recipient, rowId, waiter) is { } outcome)
        {
            Complete(waiter, outcome);
        }
        // The recipient may have logged in between our check and the commit; if so, hand it over now.
        if (recipient is null && Sessions.Find(message.Recipient) is { Link: not null } online)
        {
            lock (online.Gate)
            {
                online.Backlog.StoreCommitted();
            }
            await DeliverBacklogAsync(online);
        }
    }

    /// <summary>
    /// A message that joined an online recipient's backlog is answered `delivered` once acknowledged, like a live one
    /// (null: the answer comes then). The outcome to answer now: `stored` when the recipient is not attached,
    /// `delivered` when a page already carried the row and the client acknowledged it.
    /// </summary>
    private static DeliveryOutcome? WaitForBacklogDelivery(Session? recipient, long rowId, SendWaiter waiter)
    {
        if (recipient is null)
        {
            return DeliveryOutcome.Stored;
        }
        lock (recipient.Gate)
        {
            if (recipient.Link is null)
            {
                return DeliveryOutcome.Stored;
            }
            if (rowId > recipient.Backlog.LastSentRow)
            {
                recipient.Backlog.Park(rowId, waiter);
                return null;
            }
            return recipient.AddWaiterToPendingRow(rowId, waiter) ? null : DeliveryOutcome.Delivered;
        }
    }

    /// <summary>Records the outcome and answers every request waiting for it (the first send and any resends).</summary>
    private static void Complete(SendWaiter waiter, DeliveryOutcome outcome)
    {
        IReadOnlyList<SendWaiter> waiters;
        lock (waiter.Sender.Gate)
        {
            waiters = waiter.Sender.FindSent(waiter.MessageId)?.Waiters is { Count: > 0 } recorded ? recorded : [waiter];
            waiter.Sender.RememberSent(waiter.MessageId, SentMessageState.Finished(outcome));
        }
        foreach (var each in waiters)
        {
            each.Link.TrySend(ServerFrames.SendResult(each.RequestId, each.MessageId, outcome));
        }
    }

    /// <summary>The message was refused after all (mailbox full): a resend may try again.</summary>
    private static void Forget(SendWaiter waiter)
    {
        lock (waiter.Sender.Gate)
        {
            waiter.Sender.ForgetSent(waiter.MessageId);
        }
    }

    /// <summary>The recipient's client acknowledged these deliveries: answer their senders, delete stored copies.</summary>
    public async Task AcknowledgeAsync(Session recipient, IReadOnlyList<long> deliveryIds)
    {
        List<PendingDelivery> done = new(deliveryIds.Count);
        lock (recipient.Gate)
        {
            foreach (var id in deliveryIds)
            {
                if (recipient.TakePending(id) is { } delivery)
                {
                    done.Add(delivery);
                }
            }
        }
        List<long>? storedRows = null;
        bool draining;
        lock (recipient.Gate)
        {
            draining = recipient.Backlog.Draining;
        }
        foreach (var delivery in done)
        {
            if (delivery.Message.Id != 0)
            {
                (storedRows ??= []).Add(delivery.Message.Id);
            }
            if (delivery.Waiter is { } waiter)
            {
                Complete(waiter, DeliveryOutcome.Delivered);
            }
        }
        if (storedRows is not null)
        {
            await store.DeleteOfflineAsync(storedRows);
        }
        if (draining && done.Count > 0)
        {
            await DeliverBacklogAsync(recipient); // The client made room: the next page, if it is due.
        }
    }

    private static IncomingMessage ToIncoming(PendingDelivery delivery, bool wasStored) =>
        new(delivery.DeliveryId, delivery.Message.Sender, delivery.Message.Text, delivery.Message.MessageId,
            delivery.Message.SentAt.ToUnixTimeMilliseconds(), delivery.IsBroadcast, wasStored);

    // ---------------------------------------------------------------- session ends

    /// <summary>Records activity for the idle timeout.</summary>
    public void Touch(Session session) => session.LastActivity = time.GetUtcNow();

    public async Task LogoutAsync(Session session, IClientLink link, uint requestId)
    {
        await EndSessionAsync(session, Reasons.LoggedOut);
        link.TrySend(ServerFrames.Ok(requestId, "Goodbye!"));
        link.Close(Reasons.LoggedOut);
    }

    /// <summary>The link dropped without a logout: keep the session for the resume grace period, store what was in flight.</summary>
    public Task ConnectionLostAsync(Session session, IClientLink link) => DetachAsync(session, link);

    private async Task DetachAsync(Session session, IClientLink link)
    {
        Task storing;
        lock (session.Gate)
        {
            if (!ReferenceEquals(session.Link, link))
            {
                return; // Detached already (when the link began to close), or resumed on another link.
            }
            storing = DetachLocked(session);
        }
        await storing;
    }

    /// <summary>Ends a session for good: stores what was in flight, tells others, records the logout.</summary>
    public async Task EndSessionAsync(Session session, string reason, string? notice = null)
    {
        IClientLink? link;
        Task storing;
        lock (session.Gate)
        {
            if (session.Ended)
            {
                return;
            }
            link = session.Link;
            var unacknowledged = session.End();
            var parked = session.Backlog.TakeAllParked();
            storing = session.EnqueueStore(() => StoreUnacknowledgedAsync(unacknowledged, parked), () => Task.CompletedTask);
        }
        if (notice is not null && link is not null)
        {
            link.TrySend(ServerFrames.SessionEnded(reason, notice));
            link.Close(reason);
        }
        Sessions.Remove(session);
        Swarm.UserLeft(session.User);
        await storing;
        var now = time.GetUtcNow();
        lastSeen.RecordLogout(session.User, now);
        await store.RecordLogoutAsync(session.User, now);
        presence.Publish(session.User, PresenceKind.LoggedOut);
        logger.LogInformation("{User} logged out ({Reason})", session.User, reason);
    }

    /// <param name="parked">Senders of stored rows not yet sent to the link that went: they are `stored`.</param>
    private async Task StoreUnacknowledgedAsync(List<PendingDelivery> unacknowledged, List<SendWaiter> parked)
    {
        foreach (var waiter in parked)
        {
            Complete(waiter, DeliveryOutcome.Stored);
        }
        foreach (var delivery in unacknowledged)
        {
            // Messages that came from the store are still there (deleted only on ack): their senders hear `stored`.
            if (delivery.Message.Id != 0)
            {
                if (delivery.Waiter is { } waiter)
                {
                    Complete(waiter, DeliveryOutcome.Stored);
                }
                continue;
            }
            await StoreAsync(delivery.Message, delivery.Waiter, recipient: null);
        }
    }

    /// <summary>One sweep of the idle timeout and the resume grace period; called by the server's single timer.</summary>
    public async Task SweepAsync()
    {
        Passwords.Prune();
        mailboxFullLog.Flush((recipient, count) =>
            logger.LogWarning("{Recipient}'s mailbox is full: {Count} more copies were dropped in the last minute", recipient, count));
        var now = time.GetUtcNow();
        foreach (var session in Sessions.All)
        {
            DateTimeOffset lastActivity;
            DateTimeOffset? detachedAt;
            lock (session.Gate)
            {
                lastActivity = session.LastActivity;
                detachedAt = session.DetachedAt;
            }
            if (detachedAt is { } since && now - since >= options.ResumeGracePeriod)
            {
                await EndSessionAsync(session, Reasons.LoggedOut);
            }
            else if (now - lastActivity >= options.IdleTimeout)
            {
                await EndSessionAsync(session, Reasons.Timeout,
                    $"You have been logged out after {options.IdleTimeout.TotalSeconds:0} second{(options.IdleTimeout.TotalSeconds == 1 ? "" : "s")} of inactivity.");
            }
        }
    }

    public async Task<bool> KickAsync(string user)
    {
        if (Sessions.Find(user) is not { } session)
        {
            return false;
        }
        await EndSessionAsync(session, Reasons.Kicked, "You have been disconnected by the server operator.");
        return true;
    }

    public async Task ShutdownAsync()
    {
        foreach (var session in Sessions.All.ToList())
        {
            await EndSessionAsync(session, Reasons.Shutdown, "The server is shutting down.");
        }
        presence.Dispose();
    }

    /// <summary>Text from the operator to every online user.</summary>
    public int NoticeAll(string text)
    {
        var frame = ServerFrames.Notice(text);
        var sent = 0;
        foreach (var session in Sessions.All)
        {
            if (session.Link?.TrySend(frame) == true)
            {
                sent++;
            }
        }
        return sent;
    }

    /// <summary>A message from the server operator to one user: stored if the user is offline, like any message.</summary>
    public async Task<bool> SendAsServerAsync(string user, string text)
    {
        if (!credentials.Contains(user))
        {
            return false;
        }
        var message = new StoredMessage(0, "server", user, -Interlocked.Increment(ref nextBroadcastId), text, time.GetUtcNow());
        await RouteAsync(message, isBroadcast: false, waiter: null);
        return true;
    }
}
