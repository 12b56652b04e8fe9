namespace Messenger.Security;

/// <summary>
/// The server's word that <see cref="Initiator"/> may open a peer session of kind <see cref="Purpose"/> with
/// <see cref="Responder"/>, each identified by the SHA-256 SPKI fingerprint of the certificate it presents in
/// mutual TLS. Signed by <see cref="TicketSigner"/>, checked by <see cref="TicketValidator"/>.
/// </summary>
/// <param name="TicketId">Random and unique, so that a peer can refuse a replayed ticket.</param>
/// <param name="Purpose">One of <see cref="TicketPurposes"/>.</param>
public sealed record PrivateTicket(
    string TicketId,
    string Purpose,
    string Initiator,
    string InitiatorFingerprint,
    string Responder,
    string ResponderFingerprint,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    /// <summary>Why this ticket could never be valid, or null when its fields are well formed.</summary>
    internal string? FindDefect()
    {
        if (string.IsNullOrEmpty(TicketId) || TicketId.Length > 64)
        {
            return "the ticket id must be 1..64 characters";
        }
        if (!TicketPurposes.IsKnown(Purpose))
        {
            return "the purpose must be 'private' or 'swarm'";
        }
        if (!Protocol.UserNames.IsValid(Initiator) || !Protocol.UserNames.IsValid(Responder))
        {
            return $"user names must be {Protocol.UserNames.Description}";
        }
        if (string.Equals(Initiator, Responder, StringComparison.Ordinal))
        {
            return "initiator and responder must be different users";
        }
        if (!Fingerprints.TryParse(InitiatorFingerprint, out _) || !Fingerprints.TryParse(ResponderFingerprint, out _))
        {
            return "both fingerprints must be SHA-256 fingerprints";
        }
        if (ExpiresAt <= IssuedAt)
        {
            return "the ticket must expire after it is issued";
        }
        return null;
    }
}
