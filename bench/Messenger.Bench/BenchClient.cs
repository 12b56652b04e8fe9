using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Bench;

/// <summary>
/// One simulated user speaking the protocol directly: logs in, sends, counts what arrives, and acknowledges
/// incoming messages in batches (as the real client does), so the server's delivery path is measured end to end.
/// </summary>
public sealed class BenchClient : IAsyncDisposable
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly Socket socket;
    private readonly Stream stream;
    private readonly Channel<byte[]> outbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<bool> loggedIn = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long received;
    private long answered;
    private Task? reading;
    private Task? writing;

    private BenchClient(Socket socket, Stream stream)
    {
        this.socket = socket;
        this.stream = stream;
    }

    public string User { get; private set; } = "";

    /// <summary>Messages (direct or broadcast) this client received.</summary>
    public long Received => Interlocked.Read(ref received);

    /// <summary>Responses to this client's sends (Delivered, Stored or an error).</summary>
    public long Answered => Interlocked.Read(ref answered);

    /// <summary>Sends not yet answered may not exceed this window (W1: 32); released as answers arrive.</summary>
    public SemaphoreSlim Window { get; } = new(32, 32);

    /// <summary>Signalled on every incoming message (W3b waits on it).</summary>
    public Action? OnReceived { get; set; }

    public static async Task<BenchClient> ConnectAsync(int port, bool tls, string user, string password)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port);
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        if (tls)
        {
#pragma warning disable CA5359 // A load generator on loopback: the server's identity is not what is measured.
            var ssl = new SslStream(stream, false, (_, _, _, _) => true);
#pragma warning restore CA5359
            await ssl.AuthenticateAsClientAsync("localhost");
            stream = ssl;
        }
        var client = new BenchClient(socket, stream) { User = user };
        client.reading = client.ReadLoopAsync();
        client.writing = client.WriteLoopAsync();
        client.Send(FrameEncoder.ToArray(FrameType.Login, 1, new LoginRequest(user, password), Json.LoginRequest));
        if (!await client.loggedIn.Task.WaitAsync(TimeSpan.FromSeconds(60)))
        {
            throw new InvalidOperationException($"{user} could not log in.");
        }
        return client;
    }

    public void SendMessage(string to, string text, long messageId) =>
        Send(FrameEncoder.ToArray(FrameType.SendMessage, 2, new SendMessageRequest(to, text, messageId), Json.SendMessageRequest));

    public void Broadcast(string text) => Send(FrameEncoder.ToArray(FrameType.Broadcast, 3, new BroadcastRequest(text), Json.BroadcastRequest));

    private void Send(byte[] frame) => outbound.Writer.TryWrite(frame);

    private async Task WriteLoopAsync()
    {
        var writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        try
        {
            while (await outbound.Reader.WaitToReadAsync())
            {
                while (outbound.Reader.TryRead(out var frame))
                {
                    writer.Write(frame);
                }
                await writer.FlushAsync();
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            // The run is over.
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        var acks = new List<long>();
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, result.IsCompleted, out var frame) == FrameDecodeStatus.Complete)
                {
                    switch (frame.Type)
                    {
                        case FrameType.LoginAccepted:
                            loggedIn.TrySetResult(true);
                            break;
                        case FrameType.Response when frame.RequestId == 1:
                            loggedIn.TrySetResult(false);
                            break;
                        case FrameType.IncomingMessage when PayloadReader.TryRead(frame.Payload, Json.IncomingMessage, out var message):
                            acks.Add(message.DeliveryId);
                            Interlocked.Increment(ref received);
                            OnReceived?.Invoke();
                            break;
                        case FrameType.SendResult or FrameType.Response when frame.RequestId == 2:
                            Interlocked.Increment(ref answered);
                            Window.Release();
                            break;
                    }
                }
                if (acks.Count > 0)
                {
                    Send(FrameEncoder.ToArray(FrameType.Ack, 0, new AckMessages([.. acks]), Json.AckMessages));
                    acks.Clear();
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException)
        {
            loggedIn.TrySetResult(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        outbound.Writer.TryComplete();
        socket.Dispose();
        await Task.WhenAll(reading ?? Task.CompletedTask, writing ?? Task.CompletedTask).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
