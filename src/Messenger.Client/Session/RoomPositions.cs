using Messenger.Protocol;

namespace Messenger.Client.Session;

/// <summary>
/// The highest position shown per room. The server sends each room in position order, so a position at or below it is
/// a repeat (a catch-up after a reconnect that overlaps what was shown live). Used by the one event task only.
/// </summary>
public sealed class RoomPositions
{
    private readonly Dictionary<string, long> shown = new(RoomNames.Comparer);

    /// <summary>True the first time; false for a repeat.</summary>
    public bool Add(string room, long position)
    {
        if (position <= shown.GetValueOrDefault(room))
        {
            return false;
        }
        shown[room] = position;
        return true;
    }
}
