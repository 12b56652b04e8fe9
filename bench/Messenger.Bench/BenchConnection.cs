using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Unicode;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;

namespace Messenger.Bench;

/// <summary>What a workload does with the frames a connection receives (called on the connection's read loop).</summary>
public interface IReceiver
{
    /// <summary>An IncomingMessage arrived; <paramref name="text"/> is its text as UTF-8 (valid during the call).</summary>
    void OnIncoming(ILoadClient at, ReadOnlySpan<byte> text, long now);
}

/// <summary>
/// One simulated user speaking the protocol directly (its own code, not the client's): logs in, sends, and
/// acknowledges every IncomingMessage in one Ack per read (as the real client does), so the server's whole delivery
/// path is measured. Sends go into an unbounded in-memory pipe under a lock and one writer task drains it, so
/// whatever accumulated leaves in one socket write. Payloads are written by hand (no JSON serializer, no per-message
/// allocation) because the generator shares the two cores with the server.
/// </summary>
public sealed partial class BenchConnection : ILoadClient
{
    private const int LoginRequestId = 1;
    private const int SendRequestId = 2;
    private const int BroadcastRequestId = 3;

    private static readonly byte[] DeliveryIdName = "deliveryId"u8.ToArray();
    private static readonly byte[] TextName = "text"u8.ToArray();

    private readonly Action shutDown;
    private readonly IDisposable transport;
    private readonly Stream stream;
    private readonly BatchedSender outbound = new();
    private readonly TaskCompletionSource<bool> loggedIn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long[] acks = new long[4096];
    private RandomPeer random;
    private long nextMessageId;
    private long received;
    private long sent;
    private long answered;
    private Task? reading;

    /// <param name="shutDown">Ends the transport both ways (a socket's shutdown, a WebSocket's abort), which ends both loops.</param>
    private BenchConnection(Stream stream, Action shutDown, IDisposable transport, int index)
    {
        this.shutDown = shutDown;
        this.transport = transport;
        this.stream = stream;
        Index = index;
        random = new RandomPeer(index);
    }

    public int Index { get; }

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
        var connection = webSocket ? await OpenWebSocketAsync(port, tls, index, cancellation) : await OpenSocketAsync(port, tls, index, cancellation);
        try
        {
            connection.reading = connection.ReadLoopAsync();
            connection.outbound.Start(connection.stream);
            connection.Login();
            if (!await connection.loggedIn.Task.WaitAsync(cancellation))
            {
                throw new InvalidOperationException($"{UserName(index)} could not log in.");
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<BenchConnection> OpenSocketAsync(int port, bool tls, int index, CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync("127.0.0.1", port, cancellation);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (tls)
            {
#pragma warning disable CA5359 // A load generator on loopback: the server's identity is not what is measured.
                var ssl = new SslStream(stream, false, (_, _, _, _) => true);
#pragma warning restore CA5359
                // Like the real client: no system roots in the chain SslStream builds, which the generator would pay for.
                await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = "localhost",
                    CertificateChainPolicy = Messenger.Security.PinnedKeyChainPolicy.Create(),
                }, cancellation);
                stream = ssl;
            }
            return new BenchConnection(stream, () => socket.Shutdown(SocketShutdown.Both), socket, index);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A WebSocket to /ws as a script would open it (no Origin header: not a browser, so no origin check).</summary>
    private static async Task<BenchConnection> OpenWebSocketAsync(int port, bool tls, int index, CancellationToken cancellation)
    {
        var socket = new ClientWebSocket();
        try
        {
            if (tls)
            {
#pragma warning disable CA5359 // A load generator on loopback: the server's identity is not what is measured.
                socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            }
            // The server's keep-alive pings suffice; the generator adds none of its own.
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(new Uri($"{(tls ? "wss" : "ws")}://127.0.0.1:{port}/ws"), cancellation);
            return new BenchConnection(new WebSocketByteStream(socket), socket.Abort, socket, index);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void Login()
    {
        Span<byte> payload = stackalloc byte[128];
        Utf8.TryWrite(payload, $"{{\"username\":\"{UserName(Index)}\",\"password\":\"{Password(Index)}\",\"features\":[\"rooms\"]}}", out var length);
        lock (outbound.Gate)
        {
            FrameEncoder.WriteRaw(outbound.Writer, FrameType.Login, LoginRequestId, payload[..length]);
            outbound.Flush();
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> messages to random other users (of <paramref name="users"/>), in one write.
    /// The text (64 bytes) carries this sender's index and <paramref name="stamp"/> (Stopwatch ticks).
    /// </summary>
    public void SendToRandom(int count, int users, long stamp)
    {
        Span<byte> payload = stackalloc byte[192];
        lock (outbound.Gate)
        {
            for (var i = 0; i < count; i++)
            {
                var to = random.Next(users);
                Utf8.TryWrite(payload, $"{{\"to\":\"u{to + 1:D5}\",\"text\":\"{Index:D5}.{stamp:D20}.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",\"messageId\":{++nextMessageId}}}", out var length);
                FrameEncoder.WriteRaw(outbound.Writer, FrameType.SendMessage, SendRequestId, payload[..length]);
            }
            sent += count;
            outbound.Flush();
        }
    }

    /// <summary>Sends <paramref name="count"/> broadcasts in one write.</summary>
    public void Broadcast(int count, long stamp)
    {
        Span<byte> payload = stackalloc byte[128];
        lock (outbound.Gate)
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

    private void Acknowledge(ReadOnlySpan<long> deliveryIds)
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
            lock (outbound.Gate)
            {
                FrameEncoder.WriteRaw(outbound.Writer, FrameType.Ack, 0, span[..at]);
                outbound.Flush();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private Task ReadLoopAsync() => ReceiveLoop.RunAsync(stream, OnReceived, () => loggedIn.TrySetResult(false));

    /// <summary>Handles every whole frame of one read, acknowledging what it delivered in one Ack (and one RoomAck).</summary>
    private SequencePosition OnReceived(ReadOnlySequence<byte> buffer, bool completed)
    {
        var pending = 0;
        var roomPosition = 0L;
        var now = Stopwatch.GetTimestamp();
        while (FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, completed, out var frame) == FrameDecodeStatus.Complete)
        {
            switch (frame.Type)
            {
                case FrameType.IncomingMessage:
                    if (pending == acks.Length)
                    {
                        Acknowledge(acks.AsSpan(0, pending));
                        pending = 0;
                    }
                    acks[pending++] = OnIncoming(frame.Payload, now);
                    break;
                case FrameType.SendResult:
                    Interlocked.Increment(ref answered);
                    break;
                case FrameType.RoomMessageEvent:
                    roomPosition = Math.Max(roomPosition, OnRoomMessage(frame.Payload, now));
                    break;
                case FrameType.Response when frame.RequestId == RoomRequestId:
                    OnRoomAnswer(frame.Payload);
                    break;
                case FrameType.LoginAccepted:
                    loggedIn.TrySetResult(true);
                    break;
                case FrameType.Response when frame.RequestId == LoginRequestId:
                    loggedIn.TrySetResult(false);
                    break;
            }
        }
        if (pending > 0)
        {
            Acknowledge(acks.AsSpan(0, pending));
        }
        if (roomPosition > 0)
        {
            AcknowledgeRoom(roomPosition);
        }
        return buffer.Start;
    }

    /// <summary>Reads the delivery id and text of an IncomingMessage without deserializing it; returns the id.</summary>
    private long OnIncoming(ReadOnlySequence<byte> payload, long now) => OnDelivery(payload, DeliveryIdName, now);

    /// <summary>
    /// Reads the number named <paramref name="idName"/> (a delivery id, a room position) and the text of a delivered
    /// message without deserializing it, counts it and hands the text to the receiver; returns the number.
    /// </summary>
    private long OnDelivery(ReadOnlySequence<byte> payload, byte[] idName, long now)
    {
        Span<byte> copy = stackalloc byte[1024];
        scoped ReadOnlySpan<byte> json;
        if (payload.IsSingleSegment)
        {
            json = payload.FirstSpan;
        }
        else
        {
            var length = (int)Math.Min(payload.Length, copy.Length);
            payload.Slice(0, length).CopyTo(copy);
            json = copy[..length];
        }
        var reader = new Utf8JsonReader(json);
        long id = 0;
        scoped ReadOnlySpan<byte> text = default;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1)
            {
                continue;
            }
            if (reader.ValueTextEquals(idName))
            {
                reader.Read();
                id = reader.GetInt64();
            }
            else if (reader.ValueTextEquals(TextName))
            {
                reader.Read();
                text = reader.ValueSpan; // our texts need no unescaping
            }
        }
        Interlocked.Increment(ref received);
        Receiver?.OnIncoming(this, text, now);
        return id;
    }

    public async ValueTask DisposeAsync()
    {
        await outbound.CloseAsync(shutDown, transport, reading);
        await stream.DisposeAsync(); // The loops are over (or abandoned with the socket): TLS state goes too.
    }

    /// <summary>Parses the sender index and stamp that <see cref="SendToRandom"/> put into a text.</summary>
    public static bool TryParseText(ReadOnlySpan<byte> text, out int sender, out long stamp)
    {
        stamp = 0;
        return Utf8Parser.TryParse(text, out sender, out var used) && used == 5
            && Utf8Parser.TryParse(text[6..], out stamp, out used) && used == 20;
    }
}
