using Messenger.Server.Sessions;

namespace Messenger.Server.Connections;

/// <summary>
/// How many bytes wait in the outbound queues of the logged-in users' connections (TCP and WebSocket): the total and
/// the deepest one, with its user. Sampled on demand (the dashboard's poll, a /metrics scrape) by walking the sessions
/// lock-free and reading each queue's counter without its gate, so the hot path pays nothing for it.
/// </summary>
public readonly record struct OutboundDepth(long TotalBytes, long DeepestBytes, string? DeepestUser)
{
    public static OutboundDepth Measure(IEnumerable<Session> sessions)
    {
        long total = 0, deepest = 0;
        string? deepestUser = null;
        foreach (var session in sessions)
        {
            if (session.Link is not ClientConnection connection)
            {
                continue;
            }
            var queued = connection.QueuedBytes;
            total += queued;
            if (queued > deepest)
            {
                deepest = queued;
                deepestUser = session.User;
            }
        }
        return new OutboundDepth(total, deepest, deepestUser);
    }
}
