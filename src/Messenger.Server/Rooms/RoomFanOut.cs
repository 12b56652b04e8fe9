using Messenger.Protocol.Transport;
using Messenger.Server.Messaging;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Rooms;

/// <summary>
/// A room message's way: appended to the room's log (queued under the room's <see cref="Room.Log"/>, so queue order is
/// position order), and once committed, fanned out in position order to the members online: one encoded frame for all,
/// queued on each link (never awaited, so a slow member delays nobody), skipped for members who blocked the sender and
/// for links still catching up on that room (their catch-up reads it from the log). Nothing is kept per member.
/// </summary>
public sealed class RoomFanOut(IRoomLog log, SessionRegistry sessions, BlockList blocks, ServerStats stats)
{
    /// <summary>
    /// Cluster mode: committed messages are not fanned out here but by the node's <see cref="RoomTail"/>, which reads
    /// the log in position order (messages committed by other nodes interleave with this node's); null on a single node.
    /// </summary>
    public Action<Room>? Committed { get; set; }

    /// <summary>Appends and, once durable, fans out. Returns the position, or null when the room was removed meanwhile.</summary>
    public async Task<long?> PublishAsync(Room room, string sender, long messageId, string text, DateTimeOffset sentAt)
    {
        var entry = new RoomAppend(sender, messageId, text, sentAt);
        Task<long> append;
        lock (room.Log)
        {
            if (room.Removed)
            {
                return null;
            }
            append = log.AppendRoomMessageAsync(room.Id, sender, messageId, text, sentAt).AsTask();
            room.InFlight.Enqueue(entry);
        }
        long? position = null;
        try
        {
            position = await append;
            return position;
        }
        finally
        {
            FanOutSettled(room, entry, position);
        }
    }

    /// <summary>
    /// Settles <paramref name="entry"/> and fans out every settled message at the head of the room's queue, in order
    /// (one whose append failed is skipped): a message never overtakes one queued before it.
    /// </summary>
    private void FanOutSettled(Room room, RoomAppend entry, long? position)
    {
        var anyCommitted = false;
        lock (room.Log)
        {
            entry.Settle(position);
            while (room.InFlight.TryPeek(out var head) && head.Settled)
            {
                room.InFlight.Dequeue();
                if (head.Position is { } committed && Committed is null)
                {
                    room.LastPosition = committed;
                    Deliver(room, committed, head.Sender, head.MessageId, head.Text, head.SentAt);
                }
                anyCommitted |= head.Position is not null;
            }
        }
        if (anyCommitted)
        {
            Committed?.Invoke(room);
        }
    }

    /// <summary>Caller holds <see cref="Room.Log"/> (then each member's gate, briefly: the room's lock order).</summary>
    public void Deliver(Room room, long position, string sender, long messageId, string text, DateTimeOffset sentAt)
    {
        byte[]? frame = null;
        var delivered = 0;
        foreach (var member in room.Members)
        {
            if (blocks.IsBlocked(member.User, sender) || sessions.Find(member.User) is not { } session)
            {
                continue;
            }
            lock (session.Gate)
            {
                if (session.Link is { } link && session.Rooms.TryAdvanceLive(room.Id, position))
                {
                    frame ??= RoomFrames.Message(room.Name, position, sender, messageId, text, sentAt, wasStored: false);
                    link.TrySend(frame, OutboundLane.Bulk);
                    delivered++;
                }
            }
        }
        stats.MessageRouted(delivered);
    }
}
