using Messenger.Protocol.Transport;

namespace Messenger.Server.Sessions;

/// <summary>
/// What the application logic sees of a connection: a way to queue a frame and to close it.
/// Nothing here knows about sockets or TLS (the transport lives in Connections/).
/// </summary>
public interface IClientLink
{
    /// <summary>The peer's IP address as the server sees it (no port), for peer-to-peer brokering.</summary>
    string RemoteAddress { get; }

    /// <summary>
    /// Queues a complete frame without waiting. False when the link is closed or its queue is full; a full queue
    /// also closes the link as a slow consumer (see Connections/SlowConsumerPolicy).
    /// </summary>
    bool TrySend(ReadOnlyMemory<byte> frame, OutboundLane lane = OutboundLane.Control);

    /// <summary>Closes the link after the frames already queued (bounded by a short deadline).</summary>
    void Close(string reason);

    /// <summary>Closes now, dropping queued frames (a slow consumer: waiting for it to drain is what it cannot do).</summary>
    void Abort(string reason);

    bool IsOpen { get; }
}
