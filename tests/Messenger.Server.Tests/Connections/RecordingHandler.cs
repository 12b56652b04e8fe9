using Messenger.Protocol.Framing;
using Messenger.Server.Connections;

namespace Messenger.Server.Tests.Connections;

/// <summary>A frame handler that records what happened to its connection.</summary>
internal sealed class RecordingHandler : IFrameHandler
{
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int MaxPayloadLength => ProtocolLimits.MaxPayloadLength;

    /// <summary>Completes when the connection told its handler it is over (where the server detaches the session).</summary>
    public Task Closed => closed.Task;

    public ValueTask HandleAsync(Frame frame) => ValueTask.CompletedTask;

    public Task ClosedAsync()
    {
        closed.TrySetResult();
        return Task.CompletedTask;
    }
}
