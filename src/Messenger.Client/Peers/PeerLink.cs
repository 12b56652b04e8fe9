using System.IO.Pipelines;

namespace Messenger.Client.Peers;

/// <summary>An authenticated peer connection after the handshake: who is at the other end, for what, and the stream.</summary>
public sealed record PeerLink(string User, string Purpose, Stream Stream, PipeReader Reader) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await Reader.CompleteAsync();
        await Stream.DisposeAsync();
    }
}
