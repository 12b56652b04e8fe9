namespace Messenger.Security;

/// <summary>What the checking peer knows independently of the ticket, and so requires the ticket to say.</summary>
public sealed record TicketExpectation
{
    public required string Purpose { get; init; }

    /// <summary>
    /// The initiator's name, or null when the responder learns it from the ticket: the initiator fingerprint,
    /// taken from the peer's TLS certificate, is what binds the name to the connection.
    /// </summary>
    public string? Initiator { get; init; }

    public required string Responder { get; init; }

    /// <summary>SPKI fingerprint of the initiator's certificate (on the responder: the TLS peer's).</summary>
    public required string InitiatorFingerprint { get; init; }

    /// <summary>SPKI fingerprint of the responder's certificate (on the responder: its own).</summary>
    public required string ResponderFingerprint { get; init; }
}
