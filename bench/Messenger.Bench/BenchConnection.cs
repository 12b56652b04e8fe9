using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Unicode;
using Messenger.Protocol.Framing;

namespace Messenger.Bench;

/// <summary>
/// One simulated user speaking the protocol directly (its own code, not the client's): logs in, sends, and
/// acknowledges every IncomingMessage in one Ack per read (as the real client does), so the server's whole delivery
/// path is measured. Sends go into an unbounded in-memory pipe under a lock and one writer task drains it, so
/// whatever accumulated leaves in one socket write. Payloads are written by hand (no JSON serializer, no per-message
/// allocation) because the generator shares the two cores with the server.
/// </summary>
public sealed partial class BenchConnection : IAsyncDisposable
{
    private const int LoginRequestId = 1;
    private const int SendRequestId = 2;
    private const int BroadcastRequestId = 3;

    private static readonly byte[] DeliveryIdName = "deliveryId"u8.ToArray();
    private static readonly byte[] TextName = "text"u8.ToArray();

    private readonly bool tls;
    private readonly Lock writeGate = new();
    private readonly long[] acks = new long[4096];
    // The link's parts; a resume (BenchConnection.Resume.cs) replaces them under writeGate.
    private Socket? socket;
    private Stream? stream;
    private Pipe outbound = NewPipe();
    private TaskCompletionSource<bool> loggedIn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong random;
    private long nextMessageId;
    private long received;
    private long sent;
    private long answered;
    private Task? reading;
    private Task? writing;

    private BenchConnection(bool tls, int index)
    {
        this.tls = tls;
        Index = index;
        random = (ulong)index * 0x9E3779B97F4A7C15UL + 1;
    }

    private static Pipe NewPipe() => new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 16 * 1024,
        readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));

    public int Index { get; }

    /// <summary>W1's send credits (messages this sender may still have in flight).</summary>
    public int Credits;

    /// <summary>Recipients are the users Stride apart from this one (1: anyone; a cluster's node count: its own node's users).</summary>
    public int Stride { get; set; } = 1;

    public IReceiver? Receiver { get; set; }

    public long Received => Interlocked.Read(ref received);

    public long Sent => Interlocked.Read(ref sent);

    public long Answered => Interlocked.Read(ref answered);

    public static string UserName(int index) => $"u{index + 1:D5}";

    public static string Password(int index) => $"pw{index + 1}";

    /// <summary>Connects to 127.0.0.1 (TLS accepting any certificate, or plaintext) and logs in as user <paramref name="index"/>.</summary>
    public static async Task<BenchConnection> ConnectAsync(int port, bool tls, int index, CancellationToken cancellation)
    {
        var connection = new BenchConnection(tls, index);
        if (!await connection.AttachAsync(port, cancellation))
        {
            throw new InvalidOperationException($"{UserName(index)} could not log in: {connection.LoginRefusal ?? "the link closed"}");
        }
        connection.attached = true;
        return connection;
    }

    /// <summary>Opens a link to <paramref name="port"/> and logs in on it (with the resume token once there is one); true once accepted.</summary>
    private async Task<bool> AttachAsync(int port, CancellationToken cancellation)
    {
        var newSocket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await newSocket.ConnectAsync("127.0.0.1", port, cancellation);
            Stream newStream = new NetworkStream(newSocket, ownsSocket: true);
            if (tls)
            {
#pragma warning disable CA5359 // A load generator on loopback: the server's identity is not what is measured.
                var ssl = new SslStream(newStream, false, (_, _, _, _) => true);
#pragma warning restore CA5359
                // Like the real client: no system roots in the chain SslStream builds, which the generator would pay for.
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    CertificateChainPolicy = Messenger.Security.PinnedKeyChainPolicy.Create(),
                }, cancellation);
                newStream = ssl;
            }
            Pipe pipe;
            TaskCompletionSource<bool> accepted;
            lock (writeGate)
            {
                (socket, stream, outbound) = (newSocket, newStream, NewPipe());
                (pipe, accepted) = (outbound, loggedIn = new(TaskCreationOptions.RunContinuationsAsynchronously));
                Login();
            }
            reading = ReadLoopAsync(newStream, pipe, accepted);
            writing = WriteLoopAsync(newStream, pipe);
            if (!await accepted.Task.WaitAsync(cancellation))
            {
                newSocket.Dispose();
                return false;
            }
            return true;
        }
        catch
        {
            newSocket.Dispose();
            throw;
        }
    }

    /// <summary>Caller holds writeGate. A password login, or a resume once the server gave a token.</summary>
    private void Login()
    {
        Span<byte> payload = stackalloc byte[256];
        var length = 0;
        _ = resumeToken is null
            ? Utf8.TryWrite(payload, $"{{\"username\":\"{UserName(Index)}\",\"password\":\"{Password(Index)}\",\"features\":[\"rooms\"]}}", out length)
            : Utf8.TryWrite(payload, $"{{\"username\":\"{UserName(Index)}\",\"resumeToken\":\"{resumeToken}\",\"features\":[\"rooms\"]}}", out length);
        FrameEncoder.WriteRaw(outbound.Writer, FrameType.Login, LoginRequestId, payload[..length]);
        Flush();
    }

    /// <summary>
    /// Sends <paramref name="count"/> messages to random other users (of <paramref name="users"/>), in one write.
    /// The text (64 bytes) carries this sender's index and <paramref name="stamp"/> (Stopwatch ticks).
    /// </summary>
    public void SendToRandom(int count, int users, long stamp)
    {
        lock (writeGate)
        {
            for (var i = 0; i < count; i++)
            {
                random ^= random << 13;
                random ^= random >> 7;
                random ^= random << 17;
                // One of the other users in this sender's group (Stride apart: every user, or those of its own node).
                var to = (int)(random % (ulong)((users - Index % Stride + Stride - 1) / Stride - 1)) * Stride + Index % Stride;
                if (to >= Index)
                {
                    to += Stride;
                }
                var id = ++nextMessageId;
                unanswered?.Add(id, (to, stamp));
                if (attached)
                {
                    WriteSend(to, stamp, id);
                }
            }
            sent += count;
            if (attached)
            {
                Flush();
            }
        }
    }

    /// <summary>Caller holds writeGate. The text (64 bytes) carries the sender's index and <paramref name="stamp"/> (Stopwatch ticks).</summary>
    private void WriteSend(int to, long stamp, long messageId)
    {
        Span<byte> payload = stackalloc byte[192];
        Utf8.TryWrite(payload, $"{{\"to\":\"u{to + 1:D5}\",\"text\":\"{Index:D5}.{stamp:D20}.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\"messageId\":{messageId}}}", out var length);
        FrameEncoder.WriteRaw(outbound.Writer, FrameType.SendMessage, SendRequestId, payload[..length]);
    }

    /// <summary>Sends <paramref name="count"/> broadcasts in one write.</summary>
    public void Broadcast(int count, long stamp)
    {
        Span<byte> payload = stackalloc byte[128];
        lock (writeGate)
        {
            for (var i = 0; i < count; i++)
            {
                Utf8.TryWrite(payload, $"{{\"text\":\"{Index:D5}.{stamp:D20}.{i:D6}.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}}", out var length);
                FrameEncoder.WriteRaw(outbound.Writer, FrameType.Broadcast, BroadcastRequestId, payload[..length]);
            }
            sent += count;
            Flush();
        }
    }

    /// <summary>Acknowledges on the link they came on (<paramref name="pipe"/>) only: another node's delivery ids are not these.</summary>
    private void Acknowledge(ReadOnlySpan<long> deliveryIds, Pipe pipe)
    {
        // {"deliveryIds":[1,2,...]}: at most 4096 ids of at most 20 digits.
        var rented = ArrayPool<byte>.Shared.Rent(32 + deliveryIds.Length * 21);
        try
        {
            var span = rented.AsSpan();
            "{\"deliveryIds\":["u8.CopyTo(span);
            var at = 16;
            for (var i = 0; i < deliveryIds.Length; i++)
            {
                if (i > 0)
                {
                    span[at++] = (byte)',';
                }
                Utf8Formatter.TryFormat(deliveryIds[i], span[at..], out var written);
                at += written;
            }
            span[at++] = (byte)']';
            span[at++] = (byte)'}';
            lock (writeGate)
            {
                if (ReferenceEquals(pipe, outbound))
                {
                    FrameEncoder.WriteRaw(outbound.Writer, FrameType.Ack, 0, span[..at]);
                    Flush();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private void Flush()
    {
        // The pipe never pauses (pauseWriterThreshold 0), so this completes at once and only wakes the writer.
        var flush = outbound.Writer.FlushAsync();
        Debug.Assert(flush.IsCompleted, "an unpaused pipe flushes synchronously");
#pragma warning disable VSTHRD002 // Completed already (asserted above): this only observes the result.
        flush.GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
    }

    private static async Task WriteLoopAsync(Stream stream, Pipe pipe)
    {
        var reader = pipe.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    await stream.WriteAsync(segment);
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // The run is over (or the server closed the connection: the lost count shows it).
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        disposing = true;
        await (resuming ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        await outbound.Writer.CompleteAsync();
        try
        {
            socket?.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already gone.
        }
        socket?.Dispose();
        await Task.WhenAll(reading ?? Task.CompletedTask, writing ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        await (stream?.DisposeAsync() ?? ValueTask.CompletedTask); // The loops are over (or abandoned with the socket): TLS state goes too.
    }
}
