namespace Messenger.Server.Rooms;

/// <summary>
/// Cluster mode's side of rooms (docs/ARCHITECTURE.md "Cluster mode"): every change of a room and every committed
/// message is told to the other nodes, which reload the room from the shared store and read new messages from the log.
/// Null on a single node.
/// </summary>
public interface IRemoteRooms
{
    /// <summary>A room changed here (created, joined, left, kicked, invited, topic, removed), with the notice to show there: to its members but <paramref name="except"/>, or only to <paramref name="toUser"/>.</summary>
    void Changed(long roomId, string? text = null, string? except = null, string? toUser = null);

    /// <summary>A room this node has not heard of yet (made on another node a moment ago), read from the shared store; null when there is none.</summary>
    Task<Room?> FindAsync(string name);

    /// <summary>A message was committed to the room's log here.</summary>
    void Appended(long roomId);
}
