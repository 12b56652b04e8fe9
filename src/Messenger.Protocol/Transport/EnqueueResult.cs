namespace Messenger.Protocol.Transport;

/// <summary>What <see cref="OutboundQueue.TryEnqueue"/> did with a frame.</summary>
public enum EnqueueResult
{
    /// <summary>Queued; the writer loop will write it.</summary>
    Queued,

    /// <summary>Refused: it would take the queue past its byte bound (the other side reads too slowly).</summary>
    Full,

    /// <summary>Refused: the queue was completed or aborted (the connection is closing).</summary>
    Closed,
}
