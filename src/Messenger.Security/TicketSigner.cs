using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Messenger.Security;

/// <summary>
/// Issues tickets on the server: the JSON body wrapped in CMS SignedData (RFC 5652) signed with the server's
/// certificate, as base64.
/// </summary>
public sealed class TicketSigner
{
    /// <summary>Two minutes: long enough to connect to the peer, short enough that a leaked ticket soon stops working.</summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(2);

    // id-sha256 (RFC 5754 section 2.2).
    private const string Sha256Oid = "2.16.840.1.101.3.4.2.1";

    private readonly X509Certificate2 _certificate;
    private readonly TimeProvider _time;

    /// <param name="certificate">The server's certificate, with its private key (the <see cref="ServerIdentity"/>).</param>
    public TicketSigner(X509Certificate2 certificate, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("Signing tickets needs the certificate's private key.", nameof(certificate));
        }
        _certificate = certificate;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Makes a ticket issued now, with fingerprints in canonical form and a random id.</summary>
    public PrivateTicket Create(string purpose, string initiator, string initiatorFingerprint, string responder, string responderFingerprint, TimeSpan? lifetime = null)
    {
        var validFor = lifetime ?? DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(validFor, TimeSpan.Zero, nameof(lifetime));
        var now = _time.GetUtcNow();
        return new PrivateTicket(
            Convert.ToHexString(RandomNumberGenerator.GetBytes(16)),
            purpose,
            initiator,
            Fingerprints.TryNormalize(initiatorFingerprint, out var a) ? a : initiatorFingerprint,
            responder,
            Fingerprints.TryNormalize(responderFingerprint, out var b) ? b : responderFingerprint,
            now,
            now + validFor);
    }

    /// <summary>Creates and signs a ticket in one step.</summary>
    public string Issue(string purpose, string initiator, string initiatorFingerprint, string responder, string responderFingerprint, TimeSpan? lifetime = null)
        => Sign(Create(purpose, initiator, initiatorFingerprint, responder, responderFingerprint, lifetime));

    /// <summary>Signs <paramref name="ticket"/>; returns the base64 of the CMS SignedData.</summary>
    /// <exception cref="ArgumentException">The ticket is not well formed (bad names, fingerprints, purpose or times).</exception>
    public string Sign(PrivateTicket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.FindDefect() is { } defect)
        {
            throw new ArgumentException($"Cannot sign this ticket: {defect}.", nameof(ticket));
        }
        var body = JsonSerializer.SerializeToUtf8Bytes(ticket, SecurityJsonContext.Default.PrivateTicket);
        var cms = new SignedCms(new ContentInfo(body), detached: false);
        var signer = new CmsSigner(SubjectIdentifierType.SubjectKeyIdentifier, _certificate)
        {
            // The signer's own certificate travels in the ticket so the peer can check the signature and compare
            // its key with the pinned one; the default (ExcludeRoot) would drop a self-signed certificate.
            IncludeOption = X509IncludeOption.EndCertOnly,
            DigestAlgorithm = new Oid(Sha256Oid),
        };
        cms.ComputeSignature(signer, silent: true);
        return Convert.ToBase64String(cms.Encode());
    }
}
