using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Text.Json;

namespace Messenger.Security;

/// <summary>
/// Checks a ticket on a peer. Every failure is a <see cref="TicketValidationResult"/> with a reason, never an
/// exception: tickets come from other peers and may be anything.
/// </summary>
/// <remarks>
/// Trust comes only from the pinned server key. A CMS signature proves only that the content was signed by the
/// key in the signer's certificate, and that certificate travels inside the ticket, so anyone can make a ticket
/// that "verifies". It is accepted only when that key's SPKI fingerprint is the one pinned for the server.
/// </remarks>
public sealed class TicketValidator
{
    /// <summary>60 seconds: peers' clocks are not synchronised with the server's.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromSeconds(60);

    /// <summary>A real ticket is about 1.5 KB of base64; refuse far larger input before decoding it.</summary>
    public const int MaxEncodedLength = 16 * 1024;

    // id-data (RFC 5652 section 4): the content type TicketSigner uses.
    private const string DataContentOid = "1.2.840.113549.1.7.1";

    private readonly byte[] _serverSpki;
    private readonly TimeProvider _time;
    private readonly TimeSpan _skew;

    /// <param name="serverSpkiFingerprint">The server key the client pinned (see <see cref="KnownServers"/>).</param>
    public TicketValidator(string serverSpkiFingerprint, TimeProvider? timeProvider = null, TimeSpan? clockSkew = null)
    {
        if (!Fingerprints.TryParse(serverSpkiFingerprint, out var spki))
        {
            throw new ArgumentException("Not a SHA-256 fingerprint.", nameof(serverSpkiFingerprint));
        }
        _serverSpki = spki;
        _time = timeProvider ?? TimeProvider.System;
        _skew = clockSkew ?? DefaultClockSkew;
        ArgumentOutOfRangeException.ThrowIfLessThan(_skew, TimeSpan.Zero, nameof(clockSkew));
    }

    /// <summary>
    /// Decodes the ticket, verifies its CMS signature, requires the signer's key to be the pinned server key, then
    /// checks purpose, names, fingerprints and validity period (with the clock skew) against <paramref name="expected"/>.
    /// </summary>
    /// <param name="encoded">The base64 ticket exactly as received from the peer; anything at all is accepted as input.</param>
    /// <exception cref="ArgumentException"><paramref name="expected"/> holds a fingerprint that is not one (a caller bug, not bad input).</exception>
    public TicketValidationResult Validate(string? encoded, TicketExpectation expected)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (!Fingerprints.TryParse(expected.InitiatorFingerprint, out var initiatorSpki)
            || !Fingerprints.TryParse(expected.ResponderFingerprint, out var responderSpki))
        {
            throw new ArgumentException("The expected fingerprints must be SHA-256 fingerprints.", nameof(expected));
        }

        if (!TryDecode(encoded, out var der, out var refusal)
            || !TryVerifySigner(der, out var body, out refusal)
            || !TryReadTicket(body, out var ticket, out refusal))
        {
            return refusal;
        }

        if (!string.Equals(ticket.Purpose, expected.Purpose, StringComparison.Ordinal))
        {
            return Refuse(TicketStatus.WrongPurpose, $"the ticket is for '{ticket.Purpose}', not '{expected.Purpose}'");
        }
        if (!string.Equals(ticket.Responder, expected.Responder, StringComparison.Ordinal)
            || (expected.Initiator is not null && !string.Equals(ticket.Initiator, expected.Initiator, StringComparison.Ordinal)))
        {
            return Refuse(TicketStatus.WrongUsers, $"the ticket is for {ticket.Initiator} -> {ticket.Responder}, not {expected.Initiator ?? "(any)"} -> {expected.Responder}");
        }
        // Evaluate both before deciding, so the answer's timing does not say which one differed.
        var initiatorMatches = Fingerprints.AreEqual(Fingerprints.Parse(ticket.InitiatorFingerprint), initiatorSpki);
        var responderMatches = Fingerprints.AreEqual(Fingerprints.Parse(ticket.ResponderFingerprint), responderSpki);
        if (!(initiatorMatches && responderMatches))
        {
            return Refuse(TicketStatus.WrongFingerprints, initiatorMatches
                ? "the responder's certificate is not the one the ticket names"
                : "the initiator's certificate is not the one the ticket names");
        }

        var now = _time.GetUtcNow();
        if (ticket.IssuedAt - _skew > now)
        {
            return Refuse(TicketStatus.NotYetValid, $"the ticket is issued at {ticket.IssuedAt:O}, after now ({now:O}) plus the allowed skew of {_skew.TotalSeconds:0} s");
        }
        if (ticket.ExpiresAt + _skew <= now)
        {
            return Refuse(TicketStatus.Expired, $"the ticket expired at {ticket.ExpiresAt:O}; now is {now:O} (allowed skew {_skew.TotalSeconds:0} s)");
        }
        return TicketValidationResult.Accepted(ticket);
    }

    private static bool TryDecode(string? encoded, out byte[] der, out TicketValidationResult refusal)
    {
        der = [];
        refusal = null!;
        if (string.IsNullOrEmpty(encoded))
        {
            refusal = Refuse(TicketStatus.Malformed, "no ticket");
            return false;
        }
        if (encoded.Length > MaxEncodedLength)
        {
            refusal = Refuse(TicketStatus.Malformed, $"the ticket is longer than {MaxEncodedLength} characters");
            return false;
        }
        var buffer = new byte[encoded.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64String(encoded, buffer, out var written))
        {
            refusal = Refuse(TicketStatus.Malformed, "the ticket is not base64");
            return false;
        }
        der = buffer[..written];
        return true;
    }

    private bool TryVerifySigner(byte[] der, out byte[] body, out TicketValidationResult refusal)
    {
        body = [];
        var cms = new SignedCms();
        try
        {
            cms.Decode(der);
            return TryVerifyDecoded(cms, out body, out refusal);
        }
        catch (Exception ex) when (ex is CryptographicException or AsnContentException)
        {
            // SignedCms decodes some parts lazily (the certificates, for one): a fault anywhere is still bad input.
            refusal = Refuse(TicketStatus.Malformed, "the ticket is not well-formed CMS SignedData");
            return false;
        }
    }

    private bool TryVerifyDecoded(SignedCms cms, out byte[] body, out TicketValidationResult refusal)
    {
        body = [];
        refusal = null!;
        if (cms.Detached || cms.ContentInfo.ContentType.Value != DataContentOid || cms.ContentInfo.Content.Length == 0)
        {
            refusal = Refuse(TicketStatus.Malformed, "the ticket carries no signed content");
            return false;
        }
        if (cms.SignerInfos.Count != 1)
        {
            refusal = Refuse(TicketStatus.Malformed, $"the ticket must have exactly one signer, not {cms.SignerInfos.Count}");
            return false;
        }
        var signerInfo = cms.SignerInfos[0];
        using var signerCertificate = signerInfo.Certificate;
        if (signerCertificate is null)
        {
            refusal = Refuse(TicketStatus.UntrustedSigner, "the ticket does not carry its signer's certificate");
            return false;
        }
        try
        {
            // Signature only: the signer is self-signed and trusted through the pin below, not through a chain.
            signerInfo.CheckSignature(verifySignatureOnly: true);
        }
        catch (CryptographicException)
        {
            refusal = Refuse(TicketStatus.BadSignature, "the ticket's signature does not verify (tampered or forged)");
            return false;
        }
        var signerSpki = Fingerprints.SpkiSha256Digest(signerCertificate);
        if (!Fingerprints.AreEqual(signerSpki, _serverSpki))
        {
            refusal = Refuse(TicketStatus.UntrustedSigner, $"the ticket is signed by key sha256-spki {Fingerprints.Format(signerSpki)}, not by the pinned server key {Fingerprints.Format(_serverSpki)}");
            return false;
        }
        body = cms.ContentInfo.Content;
        return true;
    }

    private static bool TryReadTicket(byte[] body, out PrivateTicket ticket, out TicketValidationResult refusal)
    {
        ticket = null!;
        refusal = null!;
        PrivateTicket? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize(body, SecurityJsonContext.Default.PrivateTicket);
        }
        catch (JsonException)
        {
            parsed = null;
        }
        if (parsed is null)
        {
            refusal = Refuse(TicketStatus.Malformed, "the signed content is not a ticket");
            return false;
        }
        if (parsed.FindDefect() is { } defect)
        {
            refusal = Refuse(TicketStatus.Malformed, $"the ticket is not well formed: {defect}");
            return false;
        }
        ticket = parsed;
        return true;
    }

    private static TicketValidationResult Refuse(TicketStatus status, string message) => TicketValidationResult.Refused(status, message);
}
