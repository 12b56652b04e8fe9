namespace Messenger.Bench;

/// <summary>
/// Every (sender, message id) pair received, and every one the server acknowledged to its sender, as one bit each:
/// a pair received twice is a repeat, and at the end every id a sender used that never arrived is lost. A bench
/// sender's ids run 1, 2, 3, ... so a sender's bits are its ids. Thread-safe (receipts come on every read loop).
/// </summary>
public sealed class DeliveryLedger(int senders, int idsPerSender)
{
    private readonly long[][] receivedBits = NewBits(senders, idsPerSender);
    private readonly long[][] acknowledgedBits = NewBits(senders, idsPerSender);
    private long repeats;
    private long untracked;

    /// <summary>Pairs received more than once (the real client drops a repeat it has shown recently).</summary>
    public long Repeats => Interlocked.Read(ref repeats);

    /// <summary>Receipts outside the ledger's range (a sender's id above its capacity): the run was too long for it.</summary>
    public long Untracked => Interlocked.Read(ref untracked);

    private static long[][] NewBits(int senders, int ids) =>
        Enumerable.Range(0, senders).Select(_ => new long[(ids + 64) / 64]).ToArray();

    /// <summary>Records a receipt; true if the pair was received before.</summary>
    public bool Received(int sender, long messageId)
    {
        if (!TrySet(receivedBits, sender, messageId, out var wasSet))
        {
            return false;
        }
        if (wasSet)
        {
            Interlocked.Increment(ref repeats);
        }
        return wasSet;
    }

    /// <summary>The sender's server answered delivered or stored: the message must arrive.</summary>
    public void Acknowledged(int sender, long messageId) => TrySet(acknowledgedBits, sender, messageId, out _);

    /// <summary>Ids 1..sent[s] of each sender s never received: all of them, and those the server had acknowledged.</summary>
    public (long Lost, long LostAcknowledged, long Acknowledged) Count(IReadOnlyList<long> sent)
    {
        long lost = 0, lostAcknowledged = 0, acknowledged = 0;
        for (var sender = 0; sender < sent.Count; sender++)
        {
            for (long id = 1; id <= sent[sender] && id < idsPerSender; id++)
            {
                var acked = IsSet(acknowledgedBits, sender, id);
                acknowledged += acked ? 1 : 0;
                if (!IsSet(receivedBits, sender, id))
                {
                    lost++;
                    lostAcknowledged += acked ? 1 : 0;
                }
            }
        }
        return (lost, lostAcknowledged, acknowledged);
    }

    private bool TrySet(long[][] bits, int sender, long id, out bool wasSet)
    {
        wasSet = false;
        if ((uint)sender >= (uint)bits.Length || id <= 0 || id >= idsPerSender)
        {
            Interlocked.Increment(ref untracked);
            return false;
        }
        var mask = 1L << (int)(id & 63);
        wasSet = (Interlocked.Or(ref bits[sender][id >> 6], mask) & mask) != 0;
        return true;
    }

    private static bool IsSet(long[][] bits, int sender, long id) => (Volatile.Read(ref bits[sender][id >> 6]) & (1L << (int)(id & 63))) != 0;
}
