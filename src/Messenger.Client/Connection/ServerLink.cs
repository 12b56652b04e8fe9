using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;
using Messenger.Protocol;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Connection;

/// <summary>
/// One connection to the server: a read loop that routes responses to their requests (by request id) and pushes
/// events into <see cref="Events"/> (consumed by their own task, never on the read loop), and one writer task that
/// drains a channel of frames so writes never interleave.
/// </summary>
public sealed class ServerLink : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly Stream stream;
    private readonly Channel<byte[]> outbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<ReceivedFrame> events = Channel.CreateUnbounded<ReceivedFrame>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<uint, TaskCompletionSource<ReceivedFrame>> pending = [];
    private readonly Lock pendingGate = new();
    private readonly TaskCompletionSource closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private uint nextRequestId;
    private Task? reading;
    private Task? writing;

    private ServerLink(Socket socket, Stream stream)
    {
        this.socket = socket;
        this.stream = stream;
    }

    /// <summary>Unsolicited frames from the server (messages, presence, session end), in arrival order.</summary>
    public ChannelReader<ReceivedFrame> Events => events.Reader;

    /// <summary>Completes when the connection is gone, for whatever reason.</summary>
    public Task Closed => closed.Task;

    /// <summary>What the server said when it closed the connection on us (a Response with request id 0), if anything.</summary>
    public string? CloseMessage { get; private set; }

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
                (stream, notice, serverKey) = await AuthenticateAsync(stream, host, port, trust, cancellationToken);
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

    private static async Task<(Stream Stream, string? Notice, string ServerKey)> AuthenticateAsync(Stream network, string host, int port, ServerTrust trust, CancellationToken cancellationToken)
    {
        X509Certificate2? presented = null;
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(10));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                // No system roots in the chain SslStream builds before the callback: costly, and its verdict is unused.
                CertificateChainPolicy = Messenger.Security.PinnedKeyChainPolicy.Create(),
                // The pin below is the trust decision (like SSH); the certificate is self-signed, so no CA check.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate as X509Certificate2 ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
                    return certificate is not null;
                },
            }, deadline.Token);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException)
        {
            await tls.DisposeAsync();
            throw new IOException(
                $"TLS handshake with {host}:{port} failed ({ex.Message}). If the server runs in plaintext mode, both sides must opt in to plaintext.", ex);
        }
        try
        {
            return (tls, trust.Verify(presented!), Messenger.Security.Fingerprints.SpkiSha256(presented!));
        }
        catch
        {
            await tls.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a request and waits for its response (any frame with the same request id).</summary>
    public Task<ReceivedFrame> RequestAsync<T>(FrameType type, T payload, JsonTypeInfo<T> typeInfo)
    {
        var completion = new TaskCompletionSource<ReceivedFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        uint id;
        lock (pendingGate)
        {
            if (closed.Task.IsCompleted)
            {
                return Task.FromException<ReceivedFrame>(CloseMessage is { } message ? new ConnectionLostException(message) : new ConnectionLostException());
            }
            id = ++nextRequestId;
            pending[id] = completion;
        }
        Enqueue(FrameEncoder.ToArray(type, id, payload, typeInfo));
        return completion.Task;
    }

    /// <summary>Sends a frame that gets no response (acknowledgements).</summary>
    public void Post<T>(FrameType type, T payload, JsonTypeInfo<T> typeInfo) => Enqueue(FrameEncoder.ToArray(type, 0, payload, typeInfo));

    private void Enqueue(byte[] frame)
    {
        if (!outbound.Writer.TryWrite(frame))
        {
            Fail();
        }
    }

    private async Task ReadLoopAsync()
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                while (true)
                {
                    var status = FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, result.IsCompleted, out var frame);
                    if (status == FrameDecodeStatus.NeedMoreData)
                    {
                        break;
                    }
                    if (status != FrameDecodeStatus.Complete)
                    {
                        throw new ProtocolException(status, $"The server sent a bad frame ({status}).");
                    }
                    Dispatch(new ReceivedFrame(frame.Type, frame.RequestId, frame.Payload.ToArray()));
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or ProtocolException or OperationCanceledException)
        {
            // The connection is over; Fail below tells everyone waiting.
        }
        finally
        {
            await reader.CompleteAsync();
            Fail();
        }
    }

    private void Dispatch(ReceivedFrame frame)
    {
        if (frame.RequestId == 0 && frame.AsResponse() is { Status: not Messenger.Protocol.Contracts.StatusCode.Ok } closing)
        {
            CloseMessage = closing.Message; // Sent just before the server closes: reported to whoever was waiting.
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
                return;
            }
        }
        events.Writer.TryWrite(frame);
    }

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
                var flush = await writer.FlushAsync();
                if (flush.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The read loop sees the same failure and reports it.
        }
        finally
        {
            await writer.CompleteAsync();
            Fail();
        }
    }

    private void Fail()
    {
        List<TaskCompletionSource<ReceivedFrame>> waiters;
        lock (pendingGate)
        {
            if (!closed.TrySetResult())
            {
                return;
            }
            waiters = [.. pending.Values];
            pending.Clear();
        }
        outbound.Writer.TryComplete();
        events.Writer.TryComplete();
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
            waiter.TrySetException(CloseMessage is { } message ? new ConnectionLostException(message) : new ConnectionLostException());
        }
    }

    /// <summary>Lets queued frames go out, then closes.</summary>
    public async ValueTask DisposeAsync()
    {
        outbound.Writer.TryComplete();
        if (writing is not null)
        {
            await writing.WaitAsync(TimeSpan.FromSeconds(2)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        Fail();
        if (reading is not null)
        {
            await reading.ContinueWith(_ => { }, TaskScheduler.Default);
        }
        socket.Dispose();
        await stream.DisposeAsync();
    }
}
