using Messenger.Protocol.Framing;

namespace Messenger.Server.Connections;

/// <summary>The application side of one connection: handles each decoded frame, and the end of the connection.</summary>
public interface IFrameHandler
{
    /// <summary>The largest payload accepted now (small before login).</summary>
    int MaxPayloadLength { get; }

    /// <summary>
    /// Handles one frame. The payload is only valid until the returned task's first await: implementations parse it
    /// synchronously first.
    /// </summary>
    ValueTask HandleAsync(Frame frame);

    Task ClosedAsync();
}
