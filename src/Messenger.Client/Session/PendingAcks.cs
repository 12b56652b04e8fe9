using System.Runtime.InteropServices;
using Messenger.Client.Connection;
using Messenger.Protocol;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Session;

/// <summary>
/// What the event task has shown since it last acknowledged: direct deliveries by id, rooms by the highest position.
/// Everything that arrived together is acknowledged together. Used by the one event task only.
/// </summary>
public sealed class PendingAcks
{
    private readonly List<long> deliveries = [];
    private readonly Dictionary<string, long> rooms = new(RoomNames.Comparer);

    public void Delivery(long deliveryId) => deliveries.Add(deliveryId);

    public void Room(string room, long position) => rooms[room] = Math.Max(position, rooms.GetValueOrDefault(room));

    /// <summary>Sends what is pending on <paramref name="link"/>, if it is still open, and starts afresh.</summary>
    public void Post(ServerLink link)
    {
        if (!link.Closed.IsCompleted)
        {
            if (deliveries.Count > 0)
            {
                if (link.SpeaksCompact)
                {
                    link.Post(CompactFrames.Ack(CollectionsMarshal.AsSpan(deliveries)));
                }
                else
                {
                    link.Post(FrameType.Ack, new AckMessages([.. deliveries]), ProtocolJsonContext.Default.AckMessages);
                }
            }
            if (rooms.Count > 0)
            {
                link.Post(FrameType.RoomAck, new RoomAck([.. rooms.Select(r => new RoomPosition(r.Key, r.Value))]), ProtocolJsonContext.Default.RoomAck);
            }
        }
        deliveries.Clear();
        rooms.Clear();
    }
}
