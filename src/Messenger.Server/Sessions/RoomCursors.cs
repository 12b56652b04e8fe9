namespace Messenger.Server.Sessions;

/// <summary>
/// Where each of a session's rooms stands with its attached link: the last position sent, and whether the stored
/// part is still being caught up. While a room catches up, live messages for it are not sent (they are in the log, so
/// the catch-up reads them); a live message that arrives meanwhile marks the cursor <see cref="RoomCursor.Missed"/>, so
/// the catch-up reads once more before it hands the room to live delivery. That keeps each room in order and exactly
/// once per link without holding any message in memory. Guarded by the owning session's gate.
/// </summary>
public sealed class RoomCursors
{
    private readonly Dictionary<long, RoomCursor> cursors = [];

    /// <summary>Bumped by every attach: a catch-up page read for an older link belongs to no one.</summary>
    public int Generation { get; private set; }

    /// <summary>A link was attached: every room catches up from its acknowledged position.</summary>
    public void Restart(IEnumerable<(long RoomId, long AckedPosition)> rooms)
    {
        Generation++;
        cursors.Clear();
        foreach (var (roomId, acked) in rooms)
        {
            cursors[roomId] = new RoomCursor { SentUpTo = acked, CatchingUp = true };
        }
    }

    /// <summary>The link went (or a new one came): nothing is sent live until the rooms are restarted for a link.</summary>
    public void Clear()
    {
        Generation++;
        cursors.Clear();
    }

    /// <summary>The user joined a room while attached: live from <paramref name="position"/> on.</summary>
    public void StartLive(long roomId, long position) => cursors[roomId] = new RoomCursor { SentUpTo = position };

    public void Remove(long roomId) => cursors.Remove(roomId);

    public RoomCursor? Find(long roomId) => cursors.GetValueOrDefault(roomId);

    /// <summary>
    /// True when the live message at <paramref name="position"/> is to be sent now (and records it as sent); false when it
    /// was sent already or the room is still catching up (then the catch-up will read it).
    /// </summary>
    public bool TryAdvanceLive(long roomId, long position)
    {
        if (!cursors.TryGetValue(roomId, out var cursor))
        {
            return false; // Not a member on this link (joined on no link, or left).
        }
        if (cursor.CatchingUp)
        {
            cursor.Missed = true;
            return false;
        }
        if (position <= cursor.SentUpTo)
        {
            return false;
        }
        cursor.SentUpTo = position;
        return true;
    }

    /// <summary>The next room whose catch-up may load a page now (marked loading), or null.</summary>
    public (long RoomId, RoomCursor Cursor)? BeginNextLoad()
    {
        foreach (var (roomId, cursor) in cursors)
        {
            if (cursor is { CatchingUp: true, Loading: false, Paused: false })
            {
                cursor.Loading = true;
                cursor.Missed = false;
                return (roomId, cursor);
            }
        }
        return null;
    }
}

/// <summary>One room's place on one link. Guarded by the session's gate.</summary>
public sealed class RoomCursor
{
    public long SentUpTo { get; set; }

    public bool CatchingUp { get; set; }

    public bool Missed { get; set; }

    public bool Loading { get; set; }

    /// <summary>A full page went out: the next waits until the client acknowledged most of it.</summary>
    public bool Paused { get; set; }
}
