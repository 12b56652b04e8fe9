using Messenger.Protocol.Contracts;

namespace Messenger.Server.Sessions;

/// <summary>
/// A logged-in user's state, which outlives any one connection: the attached link (null while the client is
/// reconnecting), messages in flight to it, ids of messages it sent recently (to drop resends), activity times.
/// Locking: <see cref="Gate"/> guards every mutable field; never hold another session's gate at the same time.
/// </summary>
public sealed class Session
{
    // The collections below are made on first use: an idle session never needs them (~270 bytes together per W4 session).
    private Dictionary<long, PendingDelivery>? pending;
    // Row ids of the pending deliveries that came from the store: the backlog replay skips them in O(1).
    private Dictionary<long, long>? pendingStoreRows;
    private long pendingBytes;
    // Made on first use too: the ids this user sent, for answering resends.
    private SentLog? sent;
    private Task storeTail = Task.CompletedTask;
    private bool invisible;
    // This session's block of delivery ids, [nextDeliveryId, deliveryIdsEnd): taken from the node's counter a block at
    // a time, so a delivery costs no atomic on a counter every core writes.
    private long nextDeliveryId;
    private long deliveryIdsEnd;

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

    /// <summary>
    /// A guest (`AllowGuests`): no account, nothing stored for it (no mailbox, no login history), limits counted per
    /// <see cref="GuestAddress"/>. Features that need an account (rooms: creating one) check this.
    /// </summary>
    public bool IsGuest => GuestAddress is not null;

    /// <summary>The address a guest logged in from (its limits are counted per address); null for an account.</summary>
    public string? GuestAddress { get; init; }

    public string ResumeToken { get; }

    public Lock Gate { get; } = new();

    /// <summary>Taken under <see cref="Gate"/> (an account's takes no lock of its own; a guest's is its address's and does).</summary>
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

    /// <summary>An advertised peer address that <see cref="PeerAddressPolicy"/> did not accept (told at login), or null.</summary>
    public RefusedPeerHost? PeerHostRefused { get; set; }

    /// <summary>Caller holds <see cref="Gate"/>. A new link starts with the whole stored backlog still to send.</summary>
    public void Attach(IClientLink link)
    {
        Link = link;
        DetachedAt = null;
        Backlog.Restart();
        Rooms.Clear(); // Rooms go live again only after their catch-up for this link (Rooms/RoomCatchUp).
    }

    /// <summary>The stored backlog's replay to the attached link (guarded by <see cref="Gate"/>).</summary>
    public BacklogReplay Backlog { get; } = new();

    /// <summary>Where each room stands with the attached link (guarded by <see cref="Gate"/>).</summary>
    public RoomCursors Rooms { get; } = new();

    /// <summary>The client named <c>rooms</c> among its features at login: it may be sent room events (an older client may not).</summary>
    public bool UnderstandsRooms { get; set; }

    /// <summary>
    /// The attached client named <c>compact</c> among its features (guarded by <see cref="Gate"/>, set at each attach):
    /// it is sent its direct messages as <c>IncomingCompact</c> frames (docs/PROTOCOL.md §4.2).
    /// </summary>
    public bool UnderstandsCompact { get; set; }

    /// <summary>Left out of presence, whoelse and room members' online marks for everyone else (issue 14).</summary>
    public bool Invisible
    {
        get => Volatile.Read(ref invisible);
        set => Volatile.Write(ref invisible, value);
    }

    /// <summary>Caller holds <see cref="Gate"/>. Takes every unacknowledged delivery out, for the offline store.</summary>
    public List<PendingDelivery> Detach(DateTimeOffset now)
    {
        Link = null;
        DetachedAt = now;
        Rooms.Clear();
        return TakeAllPending();
    }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public List<PendingDelivery> End()
    {
        Ended = true;
        Link = null;
        Rooms.Clear();
        return TakeAllPending();
    }

    /// <summary>Caller holds <see cref="Gate"/>. The next id of this session's block; false when the block is used up.</summary>
    public bool TryTakeDeliveryId(out long deliveryId)
    {
        deliveryId = nextDeliveryId;
        if (deliveryId >= deliveryIdsEnd)
        {
            return false;
        }
        nextDeliveryId++;
        return true;
    }

    /// <summary>Caller holds <see cref="Gate"/>. A new block of <paramref name="count"/> ids from <paramref name="first"/>; returns the first, taken.</summary>
    public long StartDeliveryIds(long first, int count)
    {
        nextDeliveryId = first + 1;
        deliveryIdsEnd = first + count;
        return first;
    }

    /// <summary>
    /// Caller holds <see cref="Gate"/>. This session was just sent an id from the node's counter (a broadcast's, newer
    /// than its block): the next delivery starts a new block, so its ids keep rising in the order it is sent them,
    /// which is the order its unacknowledged messages are stored in.
    /// </summary>
    public void EndDeliveryIds() => deliveryIdsEnd = nextDeliveryId;

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public void AddPending(PendingDelivery delivery)
    {
        (pending ??= [])[delivery.DeliveryId] = delivery;
        pendingBytes += delivery.TextBytes;
        if (delivery.StoreRow != 0)
        {
            (pendingStoreRows ??= [])[delivery.StoreRow] = delivery.DeliveryId;
        }
    }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public PendingDelivery? TakePending(long deliveryId)
    {
        if (pending is null || !pending.Remove(deliveryId, out var delivery))
        {
            return null;
        }
        pendingBytes -= delivery.TextBytes;
        if (delivery.StoreRow != 0)
        {
            pendingStoreRows?.Remove(delivery.StoreRow);
        }
        return delivery;
    }

    public int PendingCount => pending?.Count ?? 0;

    /// <summary>Memory held by the text of unacknowledged deliveries (UTF-16 bytes).</summary>
    public long PendingBytes => pendingBytes;

    /// <summary>How many unacknowledged deliveries came from the store (the replay sends more when this runs low).</summary>
    public int PendingStoreRowCount => pendingStoreRows?.Count ?? 0;

    /// <summary>Caller holds <see cref="Gate"/>. True when a stored message (by row id) is already on its way.</summary>
    public bool HasPendingStoreRow(long rowId) => pendingStoreRows?.ContainsKey(rowId) == true;

    /// <summary>
    /// Caller holds <see cref="Gate"/>. A sender starts waiting for a stored row that is already on its way to this
    /// client: it is answered when the row is acknowledged. False when the row is not pending.
    /// </summary>
    public bool AddWaiterToPendingRow(long rowId, IOutcomeWaiter waiter)
    {
        if (pendingStoreRows is null || pending is null || !pendingStoreRows.TryGetValue(rowId, out var deliveryId))
        {
            return false;
        }
        pending[deliveryId] = pending[deliveryId] with { Waiter = waiter };
        return true;
    }

    /// <summary>
    /// Caller holds <see cref="Gate"/>. What became of a message id this user sent before: its outcome, or null with the
    /// request waiting for it while in flight (<paramref name="waiting"/>), or neither when it is not remembered.
    /// </summary>
    public DeliveryOutcome? FindSent(long messageId, out SendWaiter? waiting)
    {
        waiting = null;
        return sent?.Find(messageId, out waiting);
    }

    /// <summary>Caller holds <see cref="Gate"/>. A message this user sent is in flight, <paramref name="waiting"/> for its outcome.</summary>
    public void StartSent(long messageId, SendWaiter waiting) => (sent ??= new()).Start(messageId, waiting);

    /// <summary>Caller holds <see cref="Gate"/>. Records a sent message's outcome; returns the request that waited for it, if any.</summary>
    public SendWaiter? FinishSent(long messageId, DeliveryOutcome outcome) => (sent ??= new()).Finish(messageId, outcome);

    /// <summary>
    /// Caller holds <see cref="Gate"/>. Runs <paramref name="work"/> after every store write queued for this session
    /// before it, so messages reach the offline store in the order they were accepted, even when a detach is still
    /// storing the unacknowledged ones. Returns the task of this piece.
    /// </summary>
    public Task EnqueueStore(Func<Task> work, Func<Task> afterSettled)
    {
        Backlog.StoreQueued();
        var next = storeTail.ContinueWith(_ => RunStoreAsync(work, afterSettled), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        storeTail = next;
        return next;
    }

    /// <summary>The write settles (for the backlog's bookkeeping) before <paramref name="afterSettled"/> looks at it.</summary>
    private async Task RunStoreAsync(Func<Task> work, Func<Task> afterSettled)
    {
        try
        {
            await work();
        }
        finally
        {
            lock (Gate)
            {
                Backlog.StoreSettled();
            }
        }
        await afterSettled();
    }

    /// <summary>Caller holds <see cref="Gate"/>. Forgets a message id, so a resend is treated as new.</summary>
    public void ForgetSent(long messageId) => sent?.Forget(messageId);

    private List<PendingDelivery> TakeAllPending()
    {
        if (pending is null)
        {
            return [];
        }
        var taken = pending.Values.OrderBy(p => p.DeliveryId).ToList();
        pending.Clear();
        pendingStoreRows?.Clear();
        pendingBytes = 0;
        return taken;
    }
}
