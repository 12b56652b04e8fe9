namespace Messenger.Client.Session;

/// <summary>
/// The (sender, message id) pairs shown recently, so a message delivered twice (a resend after a reconnect) shows once.
/// Bounded: the oldest are forgotten first. Not thread-safe: used by the one event task.
/// </summary>
public sealed class SeenMessages(int capacity = 8192)
{
    private readonly HashSet<(string, long)> seen = [];
    private readonly Queue<(string, long)> order = new();

    /// <summary>True the first time a pair is seen.</summary>
    public bool Add(string sender, long messageId)
    {
        if (!seen.Add((sender, messageId)))
        {
            return false;
        }
        order.Enqueue((sender, messageId));
        if (order.Count > capacity)
        {
            seen.Remove(order.Dequeue());
        }
        return true;
    }
}
