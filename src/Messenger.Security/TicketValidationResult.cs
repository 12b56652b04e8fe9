using System.Diagnostics.CodeAnalysis;

namespace Messenger.Security;

/// <summary>The outcome of checking a ticket: the ticket when valid, otherwise a status and a reason.</summary>
public sealed class TicketValidationResult
{
    private TicketValidationResult(TicketStatus status, string message, PrivateTicket? ticket)
    {
        Status = status;
        Message = message;
        Ticket = ticket;
    }

    public TicketStatus Status { get; }

    /// <summary>A readable reason, fit for a log line or the peer's error response.</summary>
    public string Message { get; }

    /// <summary>The ticket, set only when it is valid.</summary>
    public PrivateTicket? Ticket { get; }

    [MemberNotNullWhen(true, nameof(Ticket))]
    public bool IsValid => Status == TicketStatus.Valid && Ticket is not null;

    internal static TicketValidationResult Accepted(PrivateTicket ticket) => new(TicketStatus.Valid, "ticket accepted", ticket);

    internal static TicketValidationResult Refused(TicketStatus status, string message) => new(status, message, null);

    public override string ToString() => $"{Status}: {Message}";
}
