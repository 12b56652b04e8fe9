namespace Messenger.Security;

/// <summary>The verdict of <see cref="TicketValidator"/>. <see cref="Valid"/> is deliberately not zero, so an unset status never reads as accepted.</summary>
public enum TicketStatus
{
    /// <summary>Not base64, not CMS SignedData, not one signer, or not a well-formed ticket.</summary>
    Malformed = 0,

    /// <summary>The signature does not verify with the signer's certificate (tampered content, or a forged signer).</summary>
    BadSignature,

    /// <summary>Validly signed, but not by the pinned server key, or no signer certificate at all.</summary>
    UntrustedSigner,

    WrongPurpose,

    WrongUsers,

    WrongFingerprints,

    /// <summary>Issued later than now plus the allowed clock skew.</summary>
    NotYetValid,

    /// <summary>Expired longer ago than the allowed clock skew.</summary>
    Expired,

    Valid,
}
