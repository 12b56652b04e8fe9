using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text.Unicode;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Bench;

/// <summary>
/// One simulated user speaking the protocol directly (its own code, not the client's): logs in, sends, and
/// acknowledges every IncomingMessage in one Ack per read (as the real client does), so the server's whole delivery
/// path is measured. Sends go into an unbounded in-memory pipe under a lock and one writer task drains it, so
/// whatever accumulated leaves in one write. Payloads are written by hand (no JSON serializer, no per-message
/// allocation) because the generator shares the two cores with the server. The link is TCP (plaintext, TLS) or the
/// web port's WebSocket (<see cref="LinkTransport"/>); with failover on, a lost link is replaced (BenchConnection.Resume.cs).
/// </summary>
public sealed partial class BenchConnection : ILoadClient
{
    private const int LoginRequestId = 1;
    private const int SendRequestId = 2;
    private const int BroadcastRequestId = 3;

    private static readonly byte[] DeliveryIdName = "deliveryId"u8.ToArray();
    private static readonly byte[] TextName = "text"u8.ToArray();

    private readonly bool tls;
    private readonly bool webSocket;
    // Covers every link's sender: a resume replaces the link's parts under it.
    private readonly Lock writeGate = new();
    private readonly long[] acks = new long[4096];
    private LinkTransport? link;
    private BatchedSender outbound;
    private RandomPeer random;
    private long nextMessageId;
    private long received;
    private long sent;
    private long answered;
    private Task? reading;

    private BenchConnection(bool tls, bool webSocket, int index)
    {
        this.tls = tls;
        this.webSocket = webSocket;
        outbound = new BatchedSender(writeGate);
        Index = index;
        random = new RandomPeer(index);
    }

    public int Index { get; }

    /// <summary>Direct messages go as compact frames (docs/PROTOCOL.md §4.2), and the login asks to receive them so.</summary>
    public static bool UseCompactFrames { get; set; }

    /// <summary>Recipients are the users Stride apart from this one (1: anyone; a cluster's node count: its own node's users).</summary>
    public int Stride { get; set; } = 1;

    public IReceiver? Receiver { get; set; }

    public long Received => Interlocked.Read(ref received);

    public long Sent => Interlocked.Read(ref sent);

    public long Answered => Interlocked.Read(ref answered);

    public static string UserName(int index) => $"u{index + 1:D5}";

    public static string Password(int index) => $"pw{index + 1}";

    /// <summary>
    /// Connects to 127.0.0.1 (TLS accepting any certificate, or plaintext) and logs in as user <paramref name="index"/>:
    /// over TCP, or with <paramref name="webSocket"/> through the web port's /ws carrying the same frames.
    /// </summary>
    public static async Task<BenchConnection> ConnectAsync(int port, bool tls, bool webSocket, int index, CancellationToken cancellation)
    {
        var connection = new BenchConnection(tls, webSocket, index);
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
        var newLink = await LinkTransport.OpenAsync(port, tls, webSocket, cancellation);
        var sender = new BatchedSender(writeGate);
        var accepted = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (writeGate)
        {
            (link, outbound) = (newLink, sender);
            Login();
        }
        var linkReading = ReceiveLoop.RunAsync(newLink.Stream, (buffer, completed) => OnReceived(buffer, completed, sender, accepted), () =>
        {
            accepted.TrySetResult(false);
            OnLinkLost(sender);
        });
        reading = linkReading;
        sender.Start(newLink.Stream);
        try
        {
            if (await accepted.Task.WaitAsync(cancellation))
            {
                return true;
            }
        }
        catch (OperationCanceledException)
        {
            await sender.CloseAsync(newLink.ShutDown, newLink.Transport, linkReading);
            throw;
        }
        await sender.CloseAsync(newLink.ShutDown, newLink.Transport, linkReading);
        return false;
    }

    /// <summary>Caller holds writeGate. A password login, or a resume once the server gave a token.</summary>
    private void Login()
    {
        Span<byte> payload = stackalloc byte[256];
        var length = 0;
        var features = UseCompactFrames ? "\"rooms\",\"compact\"" : "\"rooms\"";
        _ = resumeToken is null
            ? Utf8.TryWrite(payload, $"{{\"username\":\"{UserName(Index)}\",\"password\":\"{Password(Index)}\",\"features\":[{features}]}}", out length)
            : Utf8.TryWrite(payload, $"{{\"username\":\"{UserName(Index)}\",\"resumeToken\":\"{resumeToken}\",\"features\":[{features}]}}", out length);
        FrameEncoder.WriteRaw(outbound.Writer, FrameType.Login, LoginRequestId, payload[..length]);
        outbound.Flush();
    }

    /// <summary>
    /// Sends <paramref name="count"/> messages to random other users (of <paramref name="users"/>, <see cref="Stride"/>
    /// apart), in one write; while a resume is under way they wait for the new link.
    /// </summary>
    public void SendToRandom(int count, int users, long stamp)
    {
        lock (writeGate)
        {
            for (var i = 0; i < count; i++)
            {
                var to = random.Next(users, Stride);
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
                outbound.Flush();
            }
        }
    }

    /// <summary>Caller holds writeGate. The text (64 bytes) carries the sender's index and <paramref name="stamp"/> (Stopwatch ticks).</summary>
    private void WriteSend(int to, long stamp, long messageId)
    {
        Span<byte> payload = stackalloc byte[192];
        if (UseCompactFrames)
        {
            // messageId, the name's length, the name, then the text: the same text as the JSON form's.
            BinaryPrimitives.WriteInt64BigEndian(payload, messageId);
            payload[CompactPayloads.SendMessageFixed - 1] = 6;
            Utf8.TryWrite(payload[CompactPayloads.SendMessageFixed..], $"u{to + 1:D5}{Index:D5}.{stamp:D20}.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", out var written);
            FrameEncoder.WriteRaw(outbound.Writer, FrameType.SendMessageCompact, SendRequestId, payload[..(CompactPayloads.SendMessageFixed + written)]);
            return;
        }
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
            outbound.Flush();
        }
    }

    /// <summary>Acknowledges on the link they came on (<paramref name="sender"/>'s) only: another node's delivery ids are not these.</summary>
    private void Acknowledge(ReadOnlySpan<long> deliveryIds, BatchedSender sender)
    {
        if (UseCompactFrames)
        {
            lock (writeGate)
            {
                if (ReferenceEquals(sender, outbound))
                {
                    CompactFrames.WriteAck(outbound.Writer, deliveryIds);
                    outbound.Flush();
                }
            }
            return;
        }
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
                if (ReferenceEquals(sender, outbound))
                {
                    FrameEncoder.WriteRaw(outbound.Writer, FrameType.Ack, 0, span[..at]);
                    outbound.Flush();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public async ValueTask DisposeAsync()
    {
        disposing = true;
        await (resuming ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { }, TaskScheduler.Default);
        if (link is { } current)
        {
            await outbound.CloseAsync(current.ShutDown, current.Transport, reading);
            await current.Stream.DisposeAsync(); // The loops are over (or abandoned with the transport): TLS state goes too.
        }
    }
}
