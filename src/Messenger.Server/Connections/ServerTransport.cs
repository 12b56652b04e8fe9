using Messenger.Server.Dispatch;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Messaging;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Connections;

/// <summary>
/// Turns an accepted socket into the stream the protocol runs on: TLS (the default) or, when both sides opted in,
/// plaintext. The first byte tells a TLS ClientHello (0x16) from a plaintext frame (0xAB, the magic's first byte),
/// so a mismatch is answered clearly and at once instead of hanging until a timeout.
/// </summary>
public sealed class ServerTransport
{
    private const byte TlsHandshakeRecord = 0x16;
    private const byte FrameMagicFirstByte = 0xAB;

    private readonly SslStreamCertificateContext? certificate;
    private readonly TimeSpan handshakeTimeout;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    /// <param name="certificate">The server's certificate with its key; null for plaintext.</param>
    public ServerTransport(X509Certificate2? certificate, TimeSpan handshakeTimeout, TimeProvider time, ILogger logger)
    {
        this.certificate = certificate is null ? null : SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        this.handshakeTimeout = handshakeTimeout;
        this.time = time;
        this.logger = logger;
    }

    public bool IsTls => certificate is not null;

    /// <summary>The stream to speak frames on, or null when the connection was refused (and already answered).</summary>
    public async Task<Stream?> AcceptAsync(Socket socket, CancellationToken cancellationToken)
    {
        using var timer = new CancellationTokenSource(handshakeTimeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var network = new NetworkStream(socket, ownsSocket: false);
        try
        {
            var first = new byte[1];
            var received = await socket.ReceiveAsync(first, SocketFlags.Peek, deadline.Token);
            if (received == 0)
            {
                return Refuse(network, null);
            }
            if (certificate is null)
            {
                return first[0] == TlsHandshakeRecord
                    ? Refuse(network, "a TLS client reached this plaintext server")
                    : network;
            }
            if (first[0] == FrameMagicFirstByte)
            {
                // Speak the client's (plaintext) language once, to say what is wrong.
                await network.WriteAsync(ServerFrames.Response(0, StatusCode.BadRequest,
                    "This server requires TLS. Remove the Plaintext setting from the client (plaintext needs both sides to opt in).",
                    Reasons.ProtocolError), deadline.Token);
                return Refuse(network, "a plaintext client reached this TLS server");
            }
            var tls = new SslStream(network, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificateContext = certificate,
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                ClientCertificateRequired = false,
            }, deadline.Token);
            // Before the first read or write: an idle TLS connection then holds no OpenSSL record buffers.
            TlsIdleBuffers.TryRelease(tls);
            return tls;
        }
        catch (OperationCanceledException)
        {
            return Refuse(network, $"no TLS handshake within {handshakeTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException)
        {
            return Refuse(network, $"TLS handshake failed: {ex.Message}");
        }
    }

    private Stream? Refuse(NetworkStream network, string? why)
    {
        if (why is not null)
        {
            logger.LogInformation("Connection from {Address} refused: {Reason}", network.Socket.RemoteEndPoint, why);
        }
        network.Dispose();
        return null;
    }
}
