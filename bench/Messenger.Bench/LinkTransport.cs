using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using Messenger.Protocol.Transport;

namespace Messenger.Bench;

/// <summary>
/// One link of a simulated user to a server, over TCP (plaintext or TLS) or through the web port's /ws (ws or wss,
/// the same frames over WebSocket): the byte stream, how to end it both ways (a socket's shutdown, a WebSocket's
/// abort), and what to dispose.
/// </summary>
public sealed record LinkTransport(Stream Stream, Action ShutDown, IDisposable Transport)
{
    /// <summary>Connects to 127.0.0.1:<paramref name="port"/>, accepting any certificate under TLS.</summary>
    public static Task<LinkTransport> OpenAsync(int port, bool tls, bool webSocket, CancellationToken cancellation) =>
        webSocket ? OpenWebSocketAsync(port, tls, cancellation) : OpenSocketAsync(port, tls, cancellation);

    private static async Task<LinkTransport> OpenSocketAsync(int port, bool tls, CancellationToken cancellation)
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
            return new LinkTransport(stream, () => socket.Shutdown(SocketShutdown.Both), socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A WebSocket to /ws as a script would open it (no Origin header: not a browser, so no origin check).</summary>
    private static async Task<LinkTransport> OpenWebSocketAsync(int port, bool tls, CancellationToken cancellation)
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
            return new LinkTransport(new WebSocketByteStream(socket), socket.Abort, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
