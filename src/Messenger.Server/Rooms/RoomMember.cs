namespace Messenger.Server.Rooms;

/// <summary>
/// A member of a room in memory: join order (fixed) and the last position its client acknowledged (only grows; written
/// behind to the store, so a lost write means a few messages shown again after a crash, never one missed).
/// </summary>
public sealed class RoomMember(string user, long joinOrder, long ackedPosition)
{
    private long acked = ackedPosition;

    public string User { get; } = user;

    public long JoinOrder { get; } = joinOrder;

    public long AckedPosition => Volatile.Read(ref acked);

    /// <summary>Raises the acknowledged position; true when it moved.</summary>
    public bool Acknowledge(long position)
    {
        var current = Volatile.Read(ref acked);
        while (position > current)
        {
            var seen = Interlocked.CompareExchange(ref acked, position, current);
            if (seen == current)
            {
                return true;
            }
            current = seen;
        }
        return false;
    }
}
