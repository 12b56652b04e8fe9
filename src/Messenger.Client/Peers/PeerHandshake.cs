using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Messenger.Client.Connection;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;
using Messenger.Security;

namespace Messenger.Client.Peers;

/// <summary>
/// The peer-to-peer handshake (docs/PROTOCOL.md §8), for private sessions and swarm downloads alike: mutual TLS with each side's own certificate, then the initiator
/// sends PeerHello with the server-signed ticket. Before any text flows, each side checks the other's key against the
/// ticket, and the ticket against the server's key: signer, purpose, both names, both keys, expiry.
/// </summary>
public sealed class PeerHandshake(PeerIdentity identity, TimeProvider time)
{
    /// <summary>How long the whole handshake may take before the connection is dropped.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    /// <summary>Initiator side of a private session: connect to the endpoint in the grant and prove who we are.</summary>
    public async Task<PeerSession> ConnectAsync(string me, PrivateGrant grant, string serverKey, CancellationToken cancellationToken)
    {
        var link = await ConnectAsync(me, new PeerEndpoint(grant.User, grant.Host, grant.Port, grant.PeerFingerprint, grant.Ticket, TicketPurposes.Private),
            serverKey, cancellationToken);
        return new PeerSession(link.User, link.Stream, link.Reader);
    }

    /// <summary>
    /// Initiator side: check the ticket against the server's key, connect with mutual TLS, check the peer's key against
    /// the ticket, send PeerHello and wait for the peer's verdict.
    /// </summary>
    public async Task<PeerLink> ConnectAsync(string me, PeerEndpoint peer, string serverKey, CancellationToken cancellationToken)
    {
        var ticket = new TicketValidator(serverKey, time).Validate(peer.Ticket, new TicketExpectation
        {
            Purpose = peer.Purpose,
            Initiator = me,
            Responder = peer.User,
            InitiatorFingerprint = await identity.GetFingerprintAsync(),
            ResponderFingerprint = peer.Fingerprint,
        });
        if (!ticket.IsValid)
        {
            throw new PeerRefusedException($"The server's ticket for {peer.User} is not valid: {ticket.Message}");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(peer.Host, peer.Port, deadline.Token);
            X509Certificate2? presented = null;
            var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = peer.User,
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                ClientCertificates = [await identity.GetCertificateAsync()],
                CertificateChainPolicy = PinnedKeyChainPolicy.Create(),
                // Trust is the key named in the server's ticket, checked right below; there is no CA here.
                RemoteCertificateValidationCallback = (_, certificate, _, _) => Capture(certificate, out presented),
            }, deadline.Token);
            if (presented is null || !Fingerprints.AreEqual(Fingerprints.SpkiSha256(presented), peer.Fingerprint))
            {
                await tls.DisposeAsync();
                throw new PeerRefusedException($"The peer at {peer.Host}:{peer.Port} is not {peer.User} (its key does not match the ticket).");
            }
            await tls.WriteAsync(FrameEncoder.ToArray(FrameType.PeerHello, 1, new PeerHello(me, peer.Ticket, peer.Purpose), Json.PeerHello), deadline.Token);
            var reader = PipeReader.Create(tls, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 16 * 1024));
            var answer = await FrameReader.ReadOneAsync(reader, ProtocolLimits.MaxControlPayloadLength, deadline.Token);
            if (answer?.AsResponse() is not { Status: StatusCode.Ok })
            {
                await reader.CompleteAsync();
                await tls.DisposeAsync();
                throw new PeerRefusedException($"{peer.User} refused the connection: {answer?.AsResponse()?.Message ?? "no answer"}");
            }
            return new PeerLink(peer.User, peer.Purpose, tls, reader);
        }
        catch (Exception ex) when (ex is AuthenticationException)
        {
            socket.Dispose();
            throw new PeerRefusedException($"TLS with {peer.User} failed: {ex.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"{peer.User} did not answer within {Deadline.TotalSeconds:0} s.");
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Responder side: require the initiator's certificate, read its PeerHello, and accept only a ticket the server
    /// signed for exactly this pair and these two keys. Returns null (after telling the peer why) when refused.
    /// </summary>
    public async Task<PeerLink?> AcceptAsync(Socket socket, string? me, string serverKey, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        PipeReader? reader = null;
        try
        {
            X509Certificate2? presented = null;
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
            {
                ServerCertificate = await identity.GetCertificateAsync(),
                ClientCertificateRequired = true,
                CertificateChainPolicy = PinnedKeyChainPolicy.Create(),
                EnabledSslProtocols = SslProtocols.Tls13 | SslProtocols.Tls12,
                RemoteCertificateValidationCallback = (_, certificate, _, _) => Capture(certificate, out presented),
            }, deadline.Token);
            reader = PipeReader.Create(tls);
            var hello = await FrameReader.ReadOneAsync(reader, ProtocolLimits.MaxControlPayloadLength, deadline.Token);
            string? refusal = null;
            PeerHello? greeting = null;
            if (me is null)
            {
                refusal = "not logged in yet";
            }
            else if (presented is null || hello is null || hello.Type != FrameType.PeerHello || !hello.TryRead(Json.PeerHello, out greeting))
            {
                refusal = "expected a PeerHello";
            }
            else if (!TicketPurposes.IsKnown(greeting.Purpose))
            {
                refusal = $"unknown purpose '{greeting.Purpose}'";
            }
            else
            {
                var check = new TicketValidator(serverKey, time).Validate(greeting.Ticket, new TicketExpectation
                {
                    Purpose = greeting.Purpose,
                    Responder = me,
                    InitiatorFingerprint = Fingerprints.SpkiSha256(presented),
                    ResponderFingerprint = await identity.GetFingerprintAsync(),
                });
                if (!check.IsValid)
                {
                    refusal = $"ticket refused: {check.Message}";
                }
                else if (check.Ticket!.Initiator != greeting.User)
                {
                    refusal = "the ticket names another user";
                }
            }
            if (refusal is not null)
            {
                await tls.WriteAsync(FrameEncoder.ToArray(FrameType.Response, hello?.RequestId ?? 0,
                    new Response(StatusCode.Forbidden, refusal, Reasons.BadRequest), Json.Response), deadline.Token);
                await reader.CompleteAsync();
                await tls.DisposeAsync();
                return null;
            }
            await tls.WriteAsync(FrameEncoder.ToArray(FrameType.Response, hello!.RequestId, new Response(StatusCode.Ok, "accepted"), Json.Response), deadline.Token);
            return new PeerLink(greeting!.User, greeting.Purpose, tls, reader);
        }
        catch (Exception ex) when (ex is IOException or AuthenticationException or OperationCanceledException or Protocol.ProtocolException)
        {
            if (reader is not null)
            {
                await reader.CompleteAsync();
            }
            await tls.DisposeAsync();
            return null;
        }
    }

    private static bool Capture(X509Certificate? certificate, out X509Certificate2? captured)
    {
        captured = certificate as X509Certificate2 ?? (certificate is null ? null : X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
        return captured is not null;
    }
}
