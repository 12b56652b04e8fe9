using Messenger.Protocol.Contracts;

namespace Messenger.Server.Sessions;

/// <summary>
/// The ids of messages a session sent and what became of each, to answer a resend with the first outcome. Messages
/// in flight are kept in a small dictionary, each as its first request (<see cref="SendWaiter"/>, which carries the
/// resends that wait with it: no state object per message); the last <see cref="Capacity"/> finished ones in a ring of
/// ids and outcomes. Clients number their messages upwards, so a new message's id is above
/// every id kept and is known to be new without a lookup; any other id (a resend, a client that numbers otherwise) is
/// looked up exactly, in the dictionary and then the ring (a vectorized scan of at most 32 KiB). A dictionary of 4,096
/// ids per sender was ~4 % of the server's CPU in W1, in cache misses (docs/BENCHMARKS.md "Compact frames").
/// Not thread-safe: the session's gate guards it.
/// </summary>
public sealed class SentLog
{
    /// <summary>How many finished messages are remembered (the oldest is forgotten first).</summary>
    public const int Capacity = 4096;

    private const int FirstRingSize = 64;

    private readonly Dictionary<long, SendWaiter> inFlight = [];
    private long[] finishedIds = [];
    private byte[] finishedOutcomes = [];
    private int finishedCount;
    private int nextSlot;
    private long highestId = long.MinValue;

    /// <summary>
    /// What became of <paramref name="messageId"/>: its outcome, or null with the request that waits for it while it is
    /// in flight (<paramref name="waiting"/>), or null and null when it is not remembered.
    /// </summary>
    public DeliveryOutcome? Find(long messageId, out SendWaiter? waiting)
    {
        waiting = null;
        if (messageId > highestId || inFlight.TryGetValue(messageId, out waiting))
        {
            return null;
        }
        var at = IndexOfFinished(messageId);
        return at < 0 ? null : (DeliveryOutcome)finishedOutcomes[at];
    }

    /// <summary>Records a message in flight, with the request that waits for its outcome.</summary>
    public void Start(long messageId, SendWaiter waiting)
    {
        highestId = Math.Max(highestId, messageId);
        inFlight[messageId] = waiting;
    }

    /// <summary>
    /// Records a message's outcome. Returns the request that was waiting for it (with its resends), or null when it was
    /// not in flight.
    /// </summary>
    public SendWaiter? Finish(long messageId, DeliveryOutcome outcome)
    {
        highestId = Math.Max(highestId, messageId);
        if (inFlight.Remove(messageId, out var waiting) || IndexOfFinished(messageId) < 0)
        {
            AddFinished(messageId, outcome);
        }
        return waiting;
    }

    /// <summary>Forgets a message (refused after all), so a resend is treated as new.</summary>
    public void Forget(long messageId)
    {
        inFlight.Remove(messageId);
        if (IndexOfFinished(messageId) is var at and >= 0)
        {
            finishedOutcomes[at] = 0; // No outcome: a forgotten slot, passed over until the ring reuses it.
        }
    }

    /// <summary>Messages remembered in flight and finished (for tests and diagnostics).</summary>
    public int Count => inFlight.Count + finishedCount;

    /// <summary>The ring slot of a finished message, or -1 (a forgotten slot, outcome 0, does not count).</summary>
    private int IndexOfFinished(long messageId)
    {
        var ids = finishedIds.AsSpan(0, finishedCount);
        for (var from = 0; ids[from..].IndexOf(messageId) is var at and >= 0; from += at + 1)
        {
            if (finishedOutcomes[from + at] != 0)
            {
                return from + at;
            }
        }
        return -1;
    }

    /// <summary>Appends to the ring, which grows from <see cref="FirstRingSize"/> to <see cref="Capacity"/> and then wraps.</summary>
    private void AddFinished(long messageId, DeliveryOutcome outcome)
    {
        if (nextSlot == finishedIds.Length && finishedIds.Length < Capacity)
        {
            var size = Math.Min(Capacity, Math.Max(FirstRingSize, finishedIds.Length * 2));
            Array.Resize(ref finishedIds, size);
            Array.Resize(ref finishedOutcomes, size);
        }
        finishedIds[nextSlot] = messageId;
        finishedOutcomes[nextSlot] = (byte)outcome;
        nextSlot = (nextSlot + 1) % Capacity;
        finishedCount = Math.Min(finishedCount + 1, Capacity);
    }
}
