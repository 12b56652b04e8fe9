using System.IO.Pipelines;
using Messenger.Client.Connection;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;

namespace Messenger.Client.Peers;

/// <summary>
/// One authenticated private session: a mutual-TLS stream to the peer, a read loop that reports texts and the end,
/// and one writer draining a channel (frames never interleave). The channel is bounded in bytes: a peer that stops
/// reading ends the session (<see cref="PrivateCloseReasons.PeerNotReading"/>) instead of growing it.
/// </summary>
public sealed class PeerSession : IAsyncDisposable
{
    /// <summary>
    /// Bytes of texts waiting for the peer to read: some 250 texts of the longest kind, far more than a reading peer
    /// ever lets pile up.
    /// </summary>
    public const int OutboundQueueBytes = 1024 * 1024;

    private readonly Stream stream;
    private readonly PipeReader reader;
    private readonly OutboundQueue outbound = new(OutboundQueueBytes);
    private readonly TaskCompletionSource<string> ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? writing;
    private long sent;
    private long received;

    public PeerSession(string peerUser, Stream stream, PipeReader reader)
    {
        PeerUser = peerUser;
        this.stream = stream;
        this.reader = reader;
    }

    public string PeerUser { get; }

    /// <summary>When the session was set up on this side (for `privates`).</summary>
    public DateTimeOffset StartedAt { get; internal set; }

    /// <summary>Texts queued to the peer and texts received from it, for `privates`.</summary>
    public long MessagesSent => Interlocked.Read(ref sent);

    public long MessagesReceived => Interlocked.Read(ref received);

    /// <summary>Completes with a reason when the session is over, whoever ended it.</summary>
    public Task<string> Ended => ended.Task;

    /// <summary>Starts reading and writing; <paramref name="onText"/> runs on the session's read loop for each message.</summary>
    /// <summary>Starts the writer and returns the read loop, for the caller to own: it ends when the session does.</summary>
    public Task Start(Action<string> onText)
    {
        writing = WriteLoopAsync();
        return ReadLoopAsync(onText);
    }

    internal long QueuedBytes => outbound.QueuedBytes;

    /// <summary>
    /// Queues a text; false when the session is over. A text that would overrun <see cref="OutboundQueueBytes"/> ends
    /// it (<see cref="PrivateCloseReasons.PeerNotReading"/>): a peer that does not read cannot be told, so nothing more
    /// is written, and the connection is dropped, which also ends a write stuck on it.
    /// </summary>
    public bool Send(string text)
    {
        var queued = outbound.TryEnqueue(FrameEncoder.ToArray(FrameType.PrivateText, 0,
            new PrivateText(text, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()), ProtocolJsonContext.Default.PrivateText));
        if (queued == EnqueueResult.Queued)
        {
            Interlocked.Increment(ref sent);
            return true;
        }
        if (queued == EnqueueResult.Full)
        {
            End(PrivateCloseReasons.PeerNotReading);
            outbound.Abort();
            stream.Dispose(); // Ends a write stuck on the peer; the read loop then fails and finishes the cleanup.
        }
        return false;
    }

    /// <summary>Tells the peer why, then closes.</summary>
    public async Task CloseAsync(string reason)
    {
        outbound.TryEnqueue(FrameEncoder.ToArray(FrameType.PrivateClose, 0, new PrivateClose(reason), ProtocolJsonContext.Default.PrivateClose));
        outbound.Complete();
        if (writing is not null)
        {
            try
            {
                await writing.WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (TimeoutException)
            {
                // The peer does not read: closing the stream below ends the write.
            }
        }
        End(reason);
        await DisposeAsync();
    }

    private async Task ReadLoopAsync(Action<string> onText)
    {
        var reason = PrivateCloseReasons.ConnectionLost;
        try
        {
            while (await FrameReader.ReadOneAsync(reader, ProtocolLimits.MaxControlPayloadLength) is { } frame)
            {
                if (frame.Type == FrameType.PrivateText && frame.TryRead(ProtocolJsonContext.Default.PrivateText, out var text))
                {
                    Interlocked.Increment(ref received);
                    onText(text.Text);
                }
                else if (frame.Type == FrameType.PrivateClose && frame.TryRead(ProtocolJsonContext.Default.PrivateClose, out var close))
                {
                    reason = close.Reason;
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException or Protocol.ProtocolException or InvalidOperationException)
        {
            // The peer is gone or broke the protocol: the session is over either way.
        }
        End(reason);
        await DisposeAsync();
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            // SslStream does not buffer: each write (texts gathered) is one TLS record on the wire.
            await outbound.RunWriterAsync(stream);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            End(PrivateCloseReasons.ConnectionLost);
        }
    }

    private void End(string reason)
    {
        outbound.Complete();
        ended.TrySetResult(reason);
    }

    public async ValueTask DisposeAsync()
    {
        End("closed");
        await reader.CompleteAsync();
        await stream.DisposeAsync();
        if (writing is not null)
        {
            await writing; // Over now that the stream is closed; it catches what a closed stream throws.
        }
    }
}
