namespace Messenger.Server.Sessions;

/// <summary>
/// Where a session's stored backlog stands with its attached link. The backlog is sent a page at a time, the next page
/// once the client has acknowledged most of the last, so a backlog of any size reaches the client in one session
/// without the server holding it in memory. While the backlog is <see cref="Draining"/>, new messages for the user join
/// its end in the store instead of overtaking it; once a page comes back short with no store write in flight and
/// none finished meanwhile, the user is caught up and messages are delivered live again.
/// Guarded by the owning session's gate, like the rest of the session.
/// </summary>
public sealed class BacklogReplay
{
    private readonly Dictionary<long, IOutcomeWaiter> parkedWaiters = [];
    private int generation;
    private int storesInFlight;
    private long storeVersion;
    private bool loading;
    private bool loadAgain;

    /// <summary>True until the attached client has been sent everything stored for it.</summary>
    public bool Draining { get; private set; } = true;

    /// <summary>The highest store row id sent to the attached link (rows only grow, so the next page starts after it).</summary>
    public long LastSentRow { get; private set; }

    /// <summary>A link was attached: the whole backlog is to be sent again (what the last link did not acknowledge is still stored).</summary>
    public void Restart()
    {
        generation++;
        Draining = true;
        LastSentRow = 0;
        loadAgain = loading;
    }

    /// <summary>
    /// Starts loading the next page, unless a load is running (then it loads again when done) or the client still has
    /// at least <paramref name="lowWater"/> stored messages unacknowledged (its acknowledgements start the next load).
    /// </summary>
    public bool TryBeginLoad(int pendingStoreRows, int lowWater, out BacklogLoad load)
    {
        load = new BacklogLoad(generation, LastSentRow, storeVersion);
        if (loading)
        {
            loadAgain = true;
            return false;
        }
        if (pendingStoreRows >= lowWater)
        {
            return false;
        }
        loading = true;
        loadAgain = false;
        return true;
    }

    /// <summary>False when a link was attached since <paramref name="load"/> began: its page belongs to no one.</summary>
    public bool IsCurrent(BacklogLoad load) => load.Generation == generation;

    public void Sent(long rowId) => LastSentRow = Math.Max(LastSentRow, rowId);

    /// <summary>Ends a load. True when the caller should try the next one at once.</summary>
    public bool EndLoad(BacklogLoad load, bool pageWasFull)
    {
        loading = false;
        var changed = loadAgain || load.Generation != generation || load.StoreVersion != storeVersion;
        loadAgain = false;
        if (pageWasFull || changed)
        {
            return true;
        }
        if (storesInFlight == 0)
        {
            Draining = false; // Caught up: nothing stored that was not sent, nothing on its way into the store.
        }
        return false;
    }

    /// <summary>A load failed: the next trigger (an acknowledgement, a store) tries again.</summary>
    public void AbortLoad() => loading = false;

    /// <summary>A store write for this user was queued on the session; the replay cannot end before it settles.</summary>
    public void StoreQueued() => storesInFlight++;

    /// <summary>A queued store write finished (committed or failed).</summary>
    public void StoreSettled()
    {
        storesInFlight--;
        storeVersion++;
    }

    /// <summary>A message for this user was stored outside the session's queue (it was offline when routed).</summary>
    public void StoreCommitted() => storeVersion++;

    /// <summary>
    /// A sender waits for a message that joined the backlog while its recipient is online: it is answered `delivered`
    /// when the client acknowledges the row, or `stored` if the link goes first.
    /// </summary>
    public void Park(long rowId, IOutcomeWaiter waiter) => parkedWaiters[rowId] = waiter;

    public IOutcomeWaiter? TakeParked(long rowId) => parkedWaiters.Remove(rowId, out var waiter) ? waiter : null;

    /// <summary>The link is gone: every parked sender is answered `stored` (the rows are in the store).</summary>
    public List<IOutcomeWaiter> TakeAllParked()
    {
        var waiters = parkedWaiters.Values.ToList();
        parkedWaiters.Clear();
        return waiters;
    }
}

/// <summary>What a page load started from: the link's generation, the row after which it reads, the store version.</summary>
public readonly record struct BacklogLoad(int Generation, long AfterRow, long StoreVersion);
