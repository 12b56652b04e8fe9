namespace Messenger.Protocol.Transport;

/// <summary>
/// Which of a connection's two queues a frame waits in. Control frames (answers, acknowledgements, presence, pings,
/// the session's end) are written before bulk frames (message deliveries, backlog pages, digests, chunks), so a user's
/// answer is not stuck behind a replay of a thousand stored messages. Order is kept within a lane, not across them.
/// </summary>
public enum OutboundLane
{
    Control,
    Bulk,
}
