using Messenger.Protocol.Contracts;

namespace Messenger.Server.Sessions;

/// <summary>
/// A logged-in user's state, which outlives any one connection: the attached link (null while the client is
/// reconnecting), messages in flight to it, ids of messages it sent recently (to drop resends), activity times.
/// Locking: <see cref="Gate"/> guards every mutable field; never hold another session's gate at the same time.
/// </summary>
public sealed class Session
{
    /// <summary>How many sent message ids each session remembers for dropping resends.</summary>
    public const int RecentMessageCapacity = 4096;

    private readonly Dictionary<long, PendingDelivery> pending = [];
    private readonly Dictionary<long, SentMessageState> recent = [];
    private readonly Queue<long> recentOrder = new();
    private Task storeTail = Task.CompletedTask;

    // Non-null while the stored backlog is being replayed to a newly attached link: live messages wait here so they
    // cannot overtake older stored ones.
    private List<PendingDelivery>? held = [];

    public Session(string user, string resumeToken, IClientLink link, DateTimeOffset now, TokenBucket sendLimiter)
    {
        User = user;
        ResumeToken = resumeToken;
        Link = link;
        LastActivity = now;
        LoggedInAt = now;
        SendLimiter = sendLimiter;
    }

    public string User { get; }

    public string ResumeToken { get; }

    public Lock Gate { get; } = new();

    public TokenBucket SendLimiter { get; }

    public DateTimeOffset LoggedInAt { get; }

    /// <summary>The connection in use, or null while detached (the client dropped and may resume).</summary>
    public IClientLink? Link { get; private set; }

    public DateTimeOffset? DetachedAt { get; private set; }

    public DateTimeOffset LastActivity { get; set; }

    /// <summary>Set once the session is over (logout, timeout, kick); a late ack or resume finds it ended.</summary>
    public bool Ended { get; private set; }

    /// <summary>The port this client accepts peers on and its certificate fingerprint (for private sessions).</summary>
    public int PeerPort { get; set; }

    public string? PeerFingerprint { get; set; }

    /// <summary>An address the client asked to be reached at (NAT); null means the address its connection came from.</summary>
    public string? PeerHost { get; set; }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public void Attach(IClientLink link)
    {
        Link = link;
        DetachedAt = null;
        held = [];
    }

    /// <summary>True from attaching a link until the stored backlog has been sent to it.</summary>
    public bool Replaying => held is not null;

    /// <summary>Caller holds <see cref="Gate"/>. Keeps a live delivery back until the replay ends.</summary>
    public void Hold(PendingDelivery delivery) => held!.Add(delivery);

    /// <summary>Caller holds <see cref="Gate"/>. Ends the replay; returns the deliveries held back, oldest first.</summary>
    public List<PendingDelivery> FinishReplay()
    {
        var released = held ?? [];
        held = null;
        return released;
    }

    /// <summary>Caller holds <see cref="Gate"/>. Takes every unacknowledged delivery out, for the offline store.</summary>
    public List<PendingDelivery> Detach(DateTimeOffset now)
    {
        Link = null;
        DetachedAt = now;
        return TakeAllPending();
    }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public List<PendingDelivery> End()
    {
        Ended = true;
        Link = null;
        return TakeAllPending();
    }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public void AddPending(PendingDelivery delivery) => pending[delivery.DeliveryId] = delivery;

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public PendingDelivery? TakePending(long deliveryId) => pending.Remove(deliveryId, out var delivery) ? delivery : null;

    public int PendingCount => pending.Count;

    /// <summary>Caller holds <see cref="Gate"/>. True when a stored message (by row id) is already on its way.</summary>
    public bool HasPendingStoreRow(long rowId) => pending.Values.Any(p => p.Message.Id == rowId);

    /// <summary>Caller holds <see cref="Gate"/>. What became of a message id this user sent before, if remembered.</summary>
    public SentMessageState? FindSent(long messageId) => recent.GetValueOrDefault(messageId);

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public void RememberSent(long messageId, SentMessageState state)
    {
        if (!recent.ContainsKey(messageId))
        {
            recentOrder.Enqueue(messageId);
            if (recentOrder.Count > RecentMessageCapacity)
            {
                recent.Remove(recentOrder.Dequeue());
            }
        }
        recent[messageId] = state;
    }

    /// <summary>
    /// Caller holds <see cref="Gate"/>. Runs <paramref name="work"/> after every store write queued for this session
    /// before it, so messages reach the offline store in the order they were accepted, even when a detach is still
    /// storing the unacknowledged ones. Returns the task of this piece.
    /// </summary>
    public Task EnqueueStore(Func<Task> work)
    {
        var next = storeTail.ContinueWith(_ => work(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        storeTail = next;
        return next;
    }

    /// <summary>Caller holds <see cref="Gate"/>. Completes when every store write queued so far is done.</summary>
    public Task StoreWritesDone => storeTail.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>Caller holds <see cref="Gate"/>. Forgets a message id, so a resend is treated as new.</summary>
    public void ForgetSent(long messageId) => recent.Remove(messageId);

    private List<PendingDelivery> TakeAllPending()
    {
        var taken = pending.Values.Concat(held ?? []).OrderBy(p => p.DeliveryId).ToList();
        pending.Clear();
        held = null;
        return taken;
    }
}

/// <summary>
/// A sent message's fate so far: an outcome, or still in flight with the requests waiting for it (the first send
/// and any resends that arrived meanwhile; each gets its answer).
/// </summary>
public sealed record SentMessageState(DeliveryOutcome? Outcome, IReadOnlyList<SendWaiter> Waiters)
{
    private static readonly SentMessageState Delivered = new(DeliveryOutcome.Delivered, []);
    private static readonly SentMessageState Stored = new(DeliveryOutcome.Stored, []);

    /// <summary>A finished message's state: shared instances, since every message sent ends in one of these.</summary>
    public static SentMessageState Finished(DeliveryOutcome outcome) => outcome switch
    {
        DeliveryOutcome.Delivered => Delivered,
        DeliveryOutcome.Stored => Stored,
        _ => new SentMessageState(outcome, []),
    };
}
