using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Messenger.Protocol;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;

namespace Messenger.Client.Connection;

/// <summary>
/// One connection to the server: the shared read loop (<see cref="FrameReader"/>) routing responses to their requests
/// (by request id) and pushing events into <see cref="Events"/> (consumed by their own task, never on the read loop),
/// and the shared <see cref="OutboundQueue"/> with its one writer loop, so writes never interleave and the caller's
/// thread never writes. Both queues are bounded in bytes; overrunning either ends the link
/// (<see cref="OverflowReason"/>), and the client reconnects and resends what the server did not answer.
/// </summary>
public sealed class ServerLink : IAsyncDisposable
{
    /// <summary>
    /// Bytes of frames waiting to be written; more means the server stopped reading. Generous (some 4,000 messages of
    /// the longest kind), because a reconnect resends every unanswered message at once, and pipe mode queues messages
    /// as fast as it reads lines.
    /// </summary>
    public const int OutboundQueueBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Bytes of unsolicited frames waiting for the event consumer; more means it fell that far behind. The read loop
    /// does not wait for room instead: responses come over the same loop, so a consumer (or a caller before login,
    /// when nothing consumes events yet) waiting for a response would deadlock it. Ending loses no message: the
    /// consumer still gets what was queued, acknowledgements stop with the link, and after the reconnect the server
    /// redelivers every message not acknowledged (shown once: SeenMessages).
    /// </summary>
    public const int EventQueueBytes = 16 * 1024 * 1024;

    private readonly Socket socket;
    private readonly Stream stream;
    private readonly OutboundQueue outbound = new(OutboundQueueBytes);
    private readonly ByteBoundedChannel<ReceivedFrame> events = new(EventQueueBytes, frame => frame.Payload.Length);
    private readonly Dictionary<uint, TaskCompletionSource<ReceivedFrame>> pending = [];
    private readonly Lock pendingGate = new();
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource ended = new();
    private uint nextRequestId;
    private long framesReceived;
    private Task? reading;
    private Task? writing;
    private Task? keepingAlive;

    private ServerLink(Socket socket, Stream stream)
    {
        this.socket = socket;
        this.stream = stream;
    }

    /// <summary>Unsolicited frames from the server (messages, presence, session end), in arrival order.</summary>
    public ChannelReader<ReceivedFrame> Events => events.Reader;

    /// <summary>Completes when the connection is gone, for whatever reason.</summary>
    public Task Closed => closed.Task;

    /// <summary>What the server said when it closed the connection on us (a Response with request id 0, e.g. reason <c>fenced</c>), if anything.</summary>
    public Messenger.Protocol.Contracts.Response? ClosingAnswer { get; private set; }

    /// <summary>Why this side ended the link when one of its queues overran its bound, else null.</summary>
    public string? OverflowReason { get; private set; }

    internal long QueuedOutboundBytes => outbound.QueuedBytes;

    internal long QueuedEventBytes => events.QueuedBytes;

    /// <summary>A line for the user from the TLS check (first use of a server), or null.</summary>
    public string? TrustNotice { get; private set; }

    /// <summary>Connects, with TLS checked against <paramref name="trust"/> unless it is null (plaintext, opted in).</summary>
    /// <param name="localAddress">Where the connection comes from (null: the system chooses).</param>
    public static async Task<ServerLink> ConnectAsync(string host, int port, ServerTrust? trust, IPAddress? localAddress, CancellationToken cancellationToken)
    {
        var socket = localAddress is null
            ? new Socket(SocketType.Stream, ProtocolType.Tcp)
            : new Socket(localAddress.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        Stream stream;
        string? notice = null;
        string? serverKey = null;
        try
        {
            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }
            await socket.ConnectAsync(host, port, cancellationToken);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (trust is not null)
            {
                (stream, notice, serverKey) = await ServerTls.AuthenticateAsync(stream, host, port, trust, cancellationToken);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var link = new ServerLink(socket, stream) { TrustNotice = notice, ServerKey = serverKey };
        link.reading = link.ReadLoopAsync();
        link.writing = link.WriteLoopAsync();
        return link;
    }

    /// <summary>The SPKI fingerprint of the server's key as verified over TLS (null in plaintext mode).</summary>
    public string? ServerKey { get; private set; }

    /// <summary>The server took up compact frames at login (docs/PROTOCOL.md §4.2): messages and acks go compact.</summary>
    public bool SpeaksCompact { get; set; }

    /// <summary>Sends a request and waits for its response (any frame with the same request id).</summary>
    public Task<ReceivedFrame> RequestAsync<T>(FrameType type, T payload, JsonTypeInfo<T> typeInfo) =>
        RequestAsync(id => FrameEncoder.ToArray(type, id, payload, typeInfo));

    /// <summary>Sends a request that <paramref name="encode"/> makes for its request id, and waits for its response.</summary>
    public Task<ReceivedFrame> RequestAsync(Func<uint, byte[]> encode)
    {
        var completion = new TaskCompletionSource<ReceivedFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        uint id;
        lock (pendingGate)
        {
            if (closed.Task.IsCompleted)
            {
                return Task.FromException<ReceivedFrame>(Lost());
            }
            id = ++nextRequestId;
            pending[id] = completion;
        }
        Enqueue(encode(id));
        return completion.Task;
    }

    /// <summary>Sends a frame that gets no response (acknowledgements).</summary>
    public void Post<T>(FrameType type, T payload, JsonTypeInfo<T> typeInfo) => Enqueue(FrameEncoder.ToArray(type, 0, payload, typeInfo));

    /// <summary>Sends a frame already encoded that gets no response (a compact acknowledgement).</summary>
    public void Post(byte[] frame) => Enqueue(frame);

    private void Enqueue(byte[] frame)
    {
        if (outbound.TryEnqueue(frame) == EnqueueResult.Full)
        {
            Fail($"the server stopped reading: {OutboundQueueBytes / (1024 * 1024)} MiB waited to be sent");
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            // However it ends (end of stream, an event overflow, a broken frame after which nothing can be trusted),
            // the link is over.
            await FrameReader.ReadAllAsync(reader, static () => ProtocolLimits.MaxPayloadLength,
                frame => ValueTask.FromResult(Dispatch(ReceivedFrame.CopyOf(frame))));
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is over; Fail below tells everyone waiting.
        }
        finally
        {
            await reader.CompleteAsync();
            Fail();
        }
    }

    /// <summary>Routes one frame; false when the event queue overflowed and the link is over.</summary>
    private bool Dispatch(ReceivedFrame frame)
    {
        Interlocked.Increment(ref framesReceived);
        if (frame.RequestId == 0 && frame.AsResponse() is { Status: not Messenger.Protocol.Contracts.StatusCode.Ok } closing)
        {
            ClosingAnswer = closing; // Sent just before the server closes: reported to whoever was waiting.
        }
        if (frame.RequestId != 0)
        {
            TaskCompletionSource<ReceivedFrame>? waiter;
            lock (pendingGate)
            {
                pending.Remove(frame.RequestId, out waiter);
            }
            if (waiter is not null)
            {
                waiter.TrySetResult(frame);
                return true;
            }
        }
        if (!events.TryWrite(frame) && events.Overflowed)
        {
            Fail($"this client fell {EventQueueBytes / (1024 * 1024)} MiB behind the server's events");
            return false;
        }
        return true;
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            await outbound.RunWriterAsync(stream);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The read loop sees the same failure and reports it.
        }
        finally
        {
            Fail();
        }
    }

    /// <summary>
    /// Pings the server after <paramref name="interval"/> of silence from it and ends the link when no answer comes
    /// within <paramref name="timeout"/>, so a path that silently stopped carrying packets is noticed. The loop is this
    /// link's own (awaited at dispose) and ends with the link.
    /// </summary>
    public ServerLink KeepAlive(TimeSpan interval, TimeSpan timeout, TimeProvider time)
    {
        keepingAlive = LinkKeepAlive.RunAsync(this, interval, timeout, time, () => Interlocked.Read(ref framesReceived), ended.Token);
        return this;
    }

    /// <summary>The keep-alive's ping went unanswered: the path is dead even if TCP does not know it yet.</summary>
    internal void FailUnanswered(TimeSpan timeout) => Fail($"the server did not answer a ping for {timeout.TotalSeconds:0.#} s");

    /// <param name="overflow">Which bound this side's ending is for (null: the connection ended otherwise).</param>
    private void Fail(string? overflow = null)
    {
        List<TaskCompletionSource<ReceivedFrame>> waiters;
        lock (pendingGate)
        {
            if (closed.Task.IsCompleted)
            {
                return;
            }
            OverflowReason = overflow; // Set before Closed completes, so whoever sees it closed sees why.
            closed.SetResult();
            waiters = [.. pending.Values];
            pending.Clear();
        }
        outbound.Abort();
        events.TryComplete();
        ended.Cancel();
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
        foreach (var waiter in waiters)
        {
            waiter.TrySetException(Lost());
        }
    }

    private ConnectionLostException Lost() =>
        (ClosingAnswer?.Message ?? OverflowReason) is { } message ? new ConnectionLostException(message) : new ConnectionLostException();

    /// <summary>Waits for one of this link's loops. They catch what a broken connection throws, so anything else that
    /// ends them reaches the caller of <see cref="DisposeAsync"/>; only a timeout is expected.</summary>
    private static async Task LetFinishAsync(Task? loop, TimeSpan timeout)
    {
        if (loop is null)
        {
            return;
        }
        try
        {
            await loop.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            // Still writing to a peer that does not read: the socket's shutdown ends it.
        }
    }

    /// <summary>Lets queued frames go out, then closes.</summary>
    public async ValueTask DisposeAsync()
    {
        outbound.Complete();
        await LetFinishAsync(writing, TimeSpan.FromSeconds(2)); // Queued frames may still go out.
        Fail(); // Shuts the socket: the loops end now.
        await LetFinishAsync(writing, Timeout.InfiniteTimeSpan);
        await LetFinishAsync(reading, Timeout.InfiniteTimeSpan);
        await LetFinishAsync(keepingAlive, Timeout.InfiniteTimeSpan);
        ended.Dispose();
        socket.Dispose();
        await stream.DisposeAsync();
    }
}
