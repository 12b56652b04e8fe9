using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Connections;

/// <summary>
/// One client connection: a read loop over a PipeReader that parses frames in place, and one writer task that drains
/// a bounded channel of complete frames, batching whatever is queued into one socket write. Frames never interleave,
/// and a slow reader cannot make the server buffer without limit (<see cref="SlowConsumerPolicy"/>).
/// </summary>
public sealed class ClientConnection : IClientLink
{
    /// <summary>How long queued frames may take to drain when a connection is closed deliberately.</summary>
    private static readonly TimeSpan CloseDrainDeadline = TimeSpan.FromSeconds(2);

    private readonly Socket socket;
    private readonly Stream stream;
    private readonly ILogger logger;
    private readonly Channel<ReadOnlyMemory<byte>> outbound;
    private readonly CancellationTokenSource aborted = new();
    private int closing;

    public ClientConnection(Socket socket, Stream stream, int queueCapacity, ILogger logger)
    {
        this.socket = socket;
        this.stream = stream;
        this.logger = logger;
        outbound = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(queueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        RemoteAddress = socket.RemoteEndPoint is IPEndPoint remote
            ? (remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address).ToString()
            : "unknown";
    }

    public string RemoteAddress { get; }

    public bool IsOpen => Volatile.Read(ref closing) == 0;

    public string? CloseReason { get; private set; }

    public bool TrySend(ReadOnlyMemory<byte> frame)
    {
        if (outbound.Writer.TryWrite(frame))
        {
            return true;
        }
        if (IsOpen)
        {
            logger.LogWarning("Disconnecting {Address}: outbound queue full ({Policy})", RemoteAddress, SlowConsumerPolicy.Name);
            Abort(Reasons.SlowConsumer);
        }
        return false;
    }

    /// <summary>Closes after the queued frames are written (at most <see cref="CloseDrainDeadline"/>).</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref closing, 1) == 0)
        {
            CloseReason = reason;
            outbound.Writer.TryComplete();
            aborted.CancelAfter(CloseDrainDeadline);
        }
    }

    /// <summary>Closes now, dropping queued frames.</summary>
    public void Abort(string reason)
    {
        if (Interlocked.Exchange(ref closing, 1) == 0)
        {
            CloseReason = reason;
        }
        outbound.Writer.TryComplete();
        aborted.Cancel();
    }

    public async Task RunAsync(IFrameHandler handler)
    {
        var writing = DrainAsync();
        try
        {
            await ReadLoopAsync(handler);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("Connection from {Address} ended: {Message}", RemoteAddress, ex.Message);
        }
        finally
        {
            Close(CloseReason ?? "closed");
            await writing;
            socket.Dispose();
            await stream.DisposeAsync();
            await handler.ClosedAsync();
        }
    }

    private async Task ReadLoopAsync(IFrameHandler handler)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        try
        {
            while (IsOpen)
            {
                var result = await reader.ReadAsync(aborted.Token);
                var buffer = result.Buffer;
                while (IsOpen)
                {
                    var status = FrameDecoder.TryDecode(ref buffer, handler.MaxPayloadLength, result.IsCompleted, out var frame);
                    if (status == FrameDecodeStatus.Complete)
                    {
                        await handler.HandleAsync(frame);
                        continue;
                    }
                    if (status != FrameDecodeStatus.NeedMoreData)
                    {
                        RejectStream(status);
                        return;
                    }
                    break;
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>A stream that broke the framing cannot be trusted again: say why, then close (DESIGN "Wire protocol").</summary>
    private void RejectStream(FrameDecodeStatus status)
    {
        if (status == FrameDecodeStatus.TruncatedStream)
        {
            Abort(Reasons.ProtocolError);
            return;
        }
        logger.LogWarning("Protocol error from {Address}: {Status}", RemoteAddress, status);
        TrySend(ServerFrames.Response(0, status == FrameDecodeStatus.PayloadTooLarge ? StatusCode.PayloadTooLarge : StatusCode.BadRequest,
            $"Protocol error: {status}. Closing the connection.", Reasons.ProtocolError));
        Close(Reasons.ProtocolError);
    }

    private async Task DrainAsync()
    {
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
        var reader = outbound.Reader;
        try
        {
            while (await reader.WaitToReadAsync(aborted.Token))
            {
                // Batch: everything queued now goes out in one flush (one syscall, one TLS record run).
                while (reader.TryRead(out var frame))
                {
                    writer.Write(frame.Span);
                    if (writer.UnflushedBytes >= 256 * 1024)
                    {
                        await writer.FlushAsync(aborted.Token);
                    }
                }
                await writer.FlushAsync(aborted.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("Writer for {Address} stopped: {Message}", RemoteAddress, ex.Message);
        }
        finally
        {
            await writer.CompleteAsync();
            // Wake the read loop: the connection is over once nothing more can be written.
            try
            {
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                logger.LogDebug("Shutdown of {Address}: {Message}", RemoteAddress, ex.Message);
            }
            Abort(CloseReason ?? "closed");
        }
    }
}
