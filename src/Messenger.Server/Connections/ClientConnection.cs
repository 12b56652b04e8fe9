using Messenger.Server.Dispatch;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Connections;

/// <summary>
/// One client connection: the shared read loop (<see cref="FrameReader"/>) parsing frames in place, and the shared
/// byte-bounded two-lane <see cref="OutboundQueue"/> drained by its one writer loop, which this connection owns:
/// started and awaited by <see cref="RunAsync"/>, any failure of it closes the connection. Routing code only queues
/// bytes (often under a session's lock); the socket write and TLS encryption happen in the writer loop, never on the
/// thread that queued. A slow reader cannot make the server buffer without limit (<see cref="SlowConsumerPolicy"/>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification =
    "Sessions may Close or Abort a link after its connection ended, so the token source must outlive RunAsync; its " +
    "only resource is the CancelAfter timer, which fires within CloseDrainDeadline.")]
public sealed class ClientConnection : IClientLink
{
    /// <summary>How long queued frames may take to drain when a connection is closed deliberately.</summary>
    private static readonly TimeSpan CloseDrainDeadline = TimeSpan.FromSeconds(2);

    private readonly Action shutDown;
    private readonly IDisposable transport;
    private readonly Stream stream;
    private readonly ILogger logger;
    private readonly ServerStats? stats;
    private readonly OutboundQueue outbound;
    private readonly CancellationTokenSource aborted = new();
    private int closing;

    /// <param name="queueByteLimit">Bytes of frames that may wait for this client; past it, it is a slow consumer.</param>
    public ClientConnection(Socket socket, Stream stream, int queueByteLimit, ILogger logger, ServerStats? stats = null)
        : this(stream, AddressOf(socket.RemoteEndPoint as IPEndPoint), () => socket.Shutdown(SocketShutdown.Both), socket, queueByteLimit, logger, stats)
    {
    }

    /// <summary>
    /// A connection over any byte stream (a WebSocket carries the same frames): <paramref name="shutDown"/> ends the
    /// transport in both directions, which ends the read loop; <paramref name="transport"/> is disposed at the end.
    /// </summary>
    public ClientConnection(Stream stream, string remoteAddress, Action shutDown, IDisposable transport, int queueByteLimit, ILogger logger, ServerStats? stats = null)
    {
        this.stats = stats;
        this.shutDown = shutDown;
        this.transport = transport;
        this.stream = stream;
        this.logger = logger;
        outbound = new OutboundQueue(queueByteLimit);
        RemoteAddress = remoteAddress;
    }

    /// <summary>The address without port, IPv4-mapped addresses as IPv4 (lockout and rate limits count per address).</summary>
    public static string AddressOf(IPEndPoint? remote) =>
        remote is null ? "unknown" : (remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address).ToString();

    public string RemoteAddress { get; }

    public bool IsOpen => Volatile.Read(ref closing) == 0;

    public string? CloseReason { get; private set; }

    /// <summary>Bytes of frames waiting for this client's writer (lock-free; for the dashboard and /metrics).</summary>
    public long QueuedBytes => outbound.QueuedBytes;

    public bool TrySend(ReadOnlyMemory<byte> frame, OutboundLane lane = OutboundLane.Control)
    {
        var result = outbound.TryEnqueue(frame, lane);
        if (result == EnqueueResult.Queued)
        {
            Hosting.ServerMetrics.FramesOut.Add(1);
        }
        if (result == EnqueueResult.Full && IsOpen)
        {
            logger.LogWarning("Disconnecting {Address}: more than {Bytes} bytes queued for it ({Policy})", RemoteAddress, outbound.ByteLimit, SlowConsumerPolicy.Name);
            stats?.SlowConsumerDisconnected();
            Abort(Reasons.SlowConsumer);
        }
        return result == EnqueueResult.Queued;
    }

    /// <summary>Closes after the queued frames are written (at most <see cref="CloseDrainDeadline"/>).</summary>
    public void Close(string reason)
    {
        if (MarkClosing(reason))
        {
            outbound.Complete();
            aborted.CancelAfter(CloseDrainDeadline);
        }
    }

    /// <summary>Closes now, dropping queued frames.</summary>
    public void Abort(string reason)
    {
        MarkClosing(reason);
        outbound.Abort();
        aborted.Cancel();
    }

    /// <summary>Runs the connection until both loops are over, then tells the handler.</summary>
    public async Task RunAsync(IFrameHandler handler)
    {
        var writing = WriteLoopAsync();
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
            transport.Dispose();
            await stream.DisposeAsync();
            await handler.ClosedAsync();
        }
    }

    private async Task ReadLoopAsync(IFrameHandler handler)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 1024, leaveOpen: true, useZeroByteReads: true));
        try
        {
            var end = await FrameReader.ReadAllAsync(reader, () => handler.MaxPayloadLength, async frame =>
            {
                Hosting.ServerMetrics.FramesIn.Add(1);
                await handler.HandleAsync(frame);
                return IsOpen;
            }); // No token: the writer's end shuts the socket down, which ends this read; a registration per idle read cost ~200 bytes.
            if (end.Kind == FrameReadEndKind.Broken)
            {
                RejectStream(end.Status);
            }
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    /// <summary>
    /// The owned writer: drains the queue until it is completed and empty, or the connection is aborted. Whatever
    /// ends it, output is over: the socket is shut down, which ends the read loop too. Only an unexpected failure is
    /// an error; the session is detached by the read loop's end either way (the unacknowledged go to the store).
    /// </summary>
    private async Task WriteLoopAsync()
    {
        await Task.Yield(); // The caller goes on to start the read loop.
        try
        {
            await outbound.RunWriterAsync(stream, aborted.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            logger.LogDebug("Writer for {Address} stopped: {Message}", RemoteAddress, ex.Message);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Writer for {Address} failed; closing the connection", RemoteAddress);
        }
        finally
        {
            MarkClosing("closed");
            outbound.Abort();
            ShutDownSocket();
            await aborted.CancelAsync();
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

    /// <summary>True for the first close; its reason is the one reported.</summary>
    private bool MarkClosing(string reason)
    {
        if (Interlocked.Exchange(ref closing, 1) != 0)
        {
            return false;
        }
        CloseReason = reason;
        return true;
    }

    private void ShutDownSocket()
    {
        try
        {
            shutDown();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
            logger.LogDebug("Shutdown of {Address}: {Message}", RemoteAddress, ex.Message);
        }
    }
}
