using Messenger.Protocol.Tasks;
using Messenger.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Rooms;

/// <summary>
/// Cluster mode's room fan-out on one node: messages of a room are committed by several nodes, so each node reads the
/// room's log after the last position it fanned out (<see cref="Room.LastPosition"/>) and fans out to its own members,
/// in position order, through the single node's <see cref="RoomFanOut.Deliver"/> (each link's cursor keeps it exactly
/// once). Woken by a commit here or another node's <c>RoomAppendedEvent</c>; one read at a time per room, and a wake-up
/// during a read makes it read once more, so nothing committed is left unread. The log's per-room commit order (an
/// advisory lock per append) means a read that sees a position has seen every smaller one.
/// </summary>
public sealed class RoomTail(IRoomLog log, RoomDirectory rooms, RoomFanOut fanOut, ILogger logger)
{
    private const int PageSize = 200;

    private readonly Dictionary<long, bool> reading = [];
    private readonly Lock gate = new();
    private readonly BackgroundWork readers = new((what, failure) => logger.LogError(failure, "{Work} failed", what));

    public void Wake(long roomId)
    {
        lock (gate)
        {
            if (reading.ContainsKey(roomId))
            {
                reading[roomId] = true; // Read again when the current read ends.
                return;
            }
            reading[roomId] = false;
        }
        readers.Run($"reading room {roomId}'s log", () => ReadAsync(roomId));
    }

    private async Task ReadAsync(long roomId)
    {
        var finished = false;
        try
        {
            while (rooms.Find(roomId) is { } room)
            {
                long after;
                lock (room.Log)
                {
                    after = room.LastPosition;
                }
                var page = await log.LoadRoomMessagesAsync(roomId, after, PageSize);
                lock (room.Log)
                {
                    foreach (var message in page.Where(m => m.Position > room.LastPosition))
                    {
                        room.LastPosition = message.Position;
                        fanOut.Deliver(room, message.Position, message.Sender, message.MessageId, message.Text, message.SentAt);
                    }
                }
                if (page.Count < PageSize && !TakeAgain(roomId))
                {
                    finished = true;
                    return;
                }
            }
        }
        finally
        {
            if (!finished)
            {
                lock (gate)
                {
                    reading.Remove(roomId); // Failed, or the room is gone: the next wake-up starts a new read.
                }
            }
        }
    }

    /// <summary>True (and cleared) when a wake-up came during the read just done; otherwise this read ends, atomically with the check.</summary>
    private bool TakeAgain(long roomId)
    {
        lock (gate)
        {
            if (reading[roomId])
            {
                reading[roomId] = false;
                return true;
            }
            reading.Remove(roomId);
            return false;
        }
    }

    /// <summary>Waits for the reads still running (at stop).</summary>
    public Task DrainAsync(TimeSpan timeout) => readers.DrainAsync(timeout);
}
