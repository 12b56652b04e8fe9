using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;
using Messenger.Client.Connection;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;

namespace Messenger.IntegrationTests.Harness;

/// <summary>A bare socket speaking frames (or garbage) to the server: for hostile-peer and race tests.</summary>
public sealed class RawConnection : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly Stream stream;
    private readonly PipeReader reader;

    private RawConnection(Socket socket, Stream stream)
    {
        this.socket = socket;
        this.stream = stream;
        reader = PipeReader.Create(stream);
    }

    /// <summary>Connects, over TLS unless <paramref name="plaintext"/> (any certificate is accepted: this is a test peer).</summary>
    /// <param name="receiveBufferBytes">A small receive buffer makes a client that stops reading fill up quickly.</param>
    public static async Task<RawConnection> ConnectAsync(int port, bool plaintext = false, int? receiveBufferBytes = null)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferBytes is { } bytes)
        {
            socket.ReceiveBufferSize = bytes;
        }
        await socket.ConnectAsync("127.0.0.1", port);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (!plaintext)
        {
#pragma warning disable CA5359 // A hostile test peer: it has no reason to check who the server is.
            var tls = new System.Net.Security.SslStream(stream, leaveInnerStreamOpen: false, (_, _, _, _) => true);
#pragma warning restore CA5359
            await tls.AuthenticateAsClientAsync("localhost");
            stream = tls;
        }
        return new RawConnection(socket, stream);
    }

    /// <summary>Connects and logs in (as a client that may then vanish without a word, or never acknowledge).</summary>
    public static async Task<RawConnection> LogInAsync(TestServer server, LoginRequest request, int? receiveBufferBytes = null)
    {
        var raw = await ConnectAsync(server.Port, server.Options.Plaintext, receiveBufferBytes);
        await raw.SendAsync(FrameType.Login, 1, request, ProtocolJsonContext.Default.LoginRequest);
        var reply = await raw.ReadResponseAsync(1);
        Assert.AreEqual(FrameType.LoginAccepted, reply.Type, reply.AsResponse()?.Message);
        return raw;
    }

    public async Task SendBytesAsync(byte[] bytes) => await stream.WriteAsync(bytes);

    public Task SendAsync<T>(FrameType type, uint requestId, T payload, JsonTypeInfo<T> typeInfo) =>
        SendBytesAsync(FrameEncoder.ToArray(type, requestId, payload, typeInfo));

    /// <summary>The next frame, or null when the server closed the connection.</summary>
    public async Task<ReceivedFrame?> ReadFrameAsync()
    {
        using var timeout = new CancellationTokenSource(TestDefaults.EventTimeout);
        try
        {
            return await FrameReader.ReadOneAsync(reader, ProtocolLimitsForTests.MaxPayload, timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException
            || ex is Protocol.ProtocolException { Status: FrameDecodeStatus.TruncatedStream })
        {
            return null; // Closed, possibly in the middle of a frame.
        }
    }

    /// <summary>Reads frames until one with this request id arrives (events before it are skipped).</summary>
    public async Task<ReceivedFrame> ReadResponseAsync(uint requestId)
    {
        while (true)
        {
            var frame = await ReadFrameAsync() ?? throw new AssertFailedException($"Connection closed before response {requestId}.");
            if (frame.RequestId == requestId)
            {
                return frame;
            }
        }
    }

    /// <summary>
    /// Reads until <paramref name="count"/> answers to sends have come (SendResult frames, or refusals as null),
    /// skipping events. The order is the order the answers came in.
    /// </summary>
    public async Task<List<DeliveryOutcome?>> ReadSendResultsAsync(int count)
    {
        var outcomes = new List<DeliveryOutcome?>(count);
        while (outcomes.Count < count)
        {
            var frame = await ReadFrameAsync() ?? throw new AssertFailedException($"Connection closed after {outcomes.Count} of {count} answers.");
            if (frame.Type == FrameType.SendResult)
            {
                outcomes.Add(frame.Read(ProtocolJsonContext.Default.SendResult).Outcome);
            }
            else if (frame.RequestId != 0 && frame.Type == FrameType.Response)
            {
                outcomes.Add(null);
            }
        }
        return outcomes;
    }

    public async ValueTask DisposeAsync()
    {
        await reader.CompleteAsync();
        await stream.DisposeAsync();
        socket.Dispose();
    }

    private static class ProtocolLimitsForTests
    {
        public const int MaxPayload = Protocol.Framing.ProtocolLimits.MaxPayloadLength;
    }
}
