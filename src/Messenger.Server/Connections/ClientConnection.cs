using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Connections;

/// <summary>
/// One client connection: a read loop over a PipeReader that parses frames in place, and one writer at a time that
/// drains a bounded queue of complete frames, gathering whatever is queued into one socket write. When the thread
/// pool has nothing waiting, the writer runs at once on the thread that queued the frame (no hand-off: latency at
/// light load); when it is busy, the writer is queued behind the other work, and everything queued for the
/// connection by the time it runs goes out in one write (throughput under load). Frames never interleave, and a slow
/// reader cannot make the server buffer without limit (<see cref="SlowConsumerPolicy"/>).
/// </summary>
public sealed class ClientConnection : IClientLink
{
    /// <summary>How long queued frames may take to drain when a connection is closed deliberately.</summary>
    private static readonly TimeSpan CloseDrainDeadline = TimeSpan.FromSeconds(2);

    /// <summary>Up to this many queued bytes are gathered into one write (one syscall, one run of TLS records).</summary>
    private const int MaxGatheredBytes = 64 * 1024;

    private readonly Socket socket;
    private readonly Stream stream;
    private readonly ILogger logger;
    private readonly ServerStats? stats;
    private readonly int queueByteLimit;
    private readonly Lock outboundGate = new();
    private readonly Queue<ReadOnlyMemory<byte>> outbound = new();
    private readonly CancellationTokenSource aborted = new();
    private readonly TaskCompletionSource outputFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long queuedBytes;
    private bool writerDue;
    private bool outboundCompleted;
    private int closing;
    private int finished;

    /// <param name="queueByteLimit">Bytes of frames that may wait for this client; past it, it is a slow consumer.</param>
    public ClientConnection(Socket socket, Stream stream, int queueByteLimit, ILogger logger, ServerStats? stats = null)
    {
        this.stats = stats;
        this.socket = socket;
        this.stream = stream;
        this.logger = logger;
        this.queueByteLimit = queueByteLimit;
        RemoteAddress = socket.RemoteEndPoint is IPEndPoint remote
            ? (remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address).ToString()
            : "unknown";
    }

    public string RemoteAddress { get; }

    public bool IsOpen => Volatile.Read(ref closing) == 0;

    public string? CloseReason { get; private set; }

    public bool TrySend(ReadOnlyMemory<byte> frame)
    {
        bool accepted;
        var writerNowDue = false;
        lock (outboundGate)
        {
            if (outboundCompleted)
            {
                return false;
            }
            // Bounded in bytes, not frames: frames range from 30 bytes to 1 MiB, so a frame count bounds nothing.
            accepted = queuedBytes + frame.Length <= queueByteLimit || outbound.Count == 0;
            if (accepted)
            {
                outbound.Enqueue(frame);
                queuedBytes += frame.Length;
                // A writer that is already due or running takes this frame too.
                writerNowDue = !writerDue;
                writerDue = true;
            }
        }
        if (!accepted)
        {
            if (IsOpen)
            {
                logger.LogWarning("Disconnecting {Address}: more than {Bytes} bytes queued for it ({Policy})", RemoteAddress, queueByteLimit, SlowConsumerPolicy.Name);
                stats?.SlowConsumerDisconnected();
                Abort(Reasons.SlowConsumer);
            }
            return false;
        }
        if (writerNowDue)
        {
            if (ThreadPool.PendingWorkItemCount == 0)
            {
                // Nothing else waiting for a thread: write now, from this thread, with no hand-off (latency).
                StartWriter();
            }
            else
            {
                // Busy: the writer waits its turn on the pool, and whatever else is queued for this connection by then
                // goes out in the same write (throughput).
                ThreadPool.UnsafeQueueUserWorkItem(static connection => connection.StartWriter(), this, preferLocal: false);
            }
        }
        return true;
    }

    /// <summary>Closes after the queued frames are written (at most <see cref="CloseDrainDeadline"/>).</summary>
    public void Close(string reason)
    {
        if (Interlocked.Exchange(ref closing, 1) != 0)
        {
            return;
        }
        CloseReason = reason;
        bool idle;
        lock (outboundGate)
        {
            outboundCompleted = true;
            idle = !writerDue;
        }
        aborted.CancelAfter(CloseDrainDeadline);
        if (idle)
        {
            FinishOutput();
        }
    }

    /// <summary>Closes now, dropping queued frames.</summary>
    public void Abort(string reason)
    {
        if (Interlocked.Exchange(ref closing, 1) == 0)
        {
            CloseReason = reason;
        }
        bool idle;
        lock (outboundGate)
        {
            outboundCompleted = true;
            outbound.Clear();
            queuedBytes = 0;
            idle = !writerDue;
        }
        aborted.Cancel();
        if (idle)
        {
            FinishOutput();
        }
    }

    public async Task RunAsync(IFrameHandler handler)
    {
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
            await outputFinished.Task;
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

    /// <summary>Runs the writer that <see cref="TrySend"/> made due (called once per time it becomes due).</summary>
    private void StartWriter() => _ = WriteQueuedAsync();

    /// <summary>
    /// The one writer: takes what is queued, writes it, repeats until the queue is empty. Runs synchronously as long
    /// as the socket takes the data at once, which it nearly always does.
    /// </summary>
    private async Task WriteQueuedAsync()
    {
        while (true)
        {
            ReadOnlyMemory<byte> chunk;
            byte[]? gathered;
            lock (outboundGate)
            {
                if (outbound.Count == 0)
                {
                    writerDue = false;
                    if (!outboundCompleted)
                    {
                        return;
                    }
                    break;
                }
                chunk = TakeQueued(out gathered);
            }
            try
            {
                await stream.WriteAsync(chunk, aborted.Token);
            }
            catch (Exception ex)
            {
                // Whatever failed, the stream's state is unknown: this connection is over, and its session is detached
                // by the read loop's end (the unacknowledged go to the store). Only an unexpected failure is an error.
                if (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    logger.LogDebug("Writer for {Address} stopped: {Message}", RemoteAddress, ex.Message);
                }
                else
                {
                    logger.LogError(ex, "Writer for {Address} failed; closing the connection", RemoteAddress);
                }
                lock (outboundGate)
                {
                    outboundCompleted = true;
                    outbound.Clear();
                    queuedBytes = 0;
                    writerDue = false;
                }
                break;
            }
            finally
            {
                if (gathered is not null)
                {
                    ArrayPool<byte>.Shared.Return(gathered);
                }
            }
        }
        FinishOutput();
    }

    /// <summary>Caller holds the gate and the queue is not empty: one frame as it is, or several gathered into a pooled buffer.</summary>
    private ReadOnlyMemory<byte> TakeQueued(out byte[]? gathered)
    {
        var first = outbound.Dequeue();
        queuedBytes -= first.Length;
        if (outbound.Count == 0 || first.Length + outbound.Peek().Length > MaxGatheredBytes)
        {
            gathered = null;
            return first;
        }
        gathered = ArrayPool<byte>.Shared.Rent(MaxGatheredBytes);
        first.Span.CopyTo(gathered);
        var used = first.Length;
        while (outbound.Count > 0 && used + outbound.Peek().Length <= MaxGatheredBytes)
        {
            var next = outbound.Dequeue();
            queuedBytes -= next.Length;
            next.Span.CopyTo(gathered.AsSpan(used));
            used += next.Length;
        }
        return gathered.AsMemory(0, used);
    }

    /// <summary>Output is over (closed and drained, aborted, or the socket failed): wake the read loop and end.</summary>
    private void FinishOutput()
    {
        if (Interlocked.Exchange(ref finished, 1) != 0)
        {
            return;
        }
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            logger.LogDebug("Shutdown of {Address}: {Message}", RemoteAddress, ex.Message);
        }
        if (Interlocked.Exchange(ref closing, 1) == 0)
        {
            CloseReason = "closed";
        }
        aborted.Cancel();
        outputFinished.TrySetResult();
    }
}
