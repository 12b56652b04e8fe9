using Messenger.Client.Ui;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Session;

/// <summary>Turns the server's events into lines for the user, each shown once (<see cref="SeenMessages"/>), all text escaped.</summary>
/// <param name="openAccepted">Opens the private session a target just accepted (the grant came with the event).</param>
public sealed class EventPresenter(IUserInterface ui, Action<PrivateGrant>? openAccepted = null)
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly SeenMessages seen = new();
    private readonly RoomPositions roomPositions = new();

    private static string PresenceLine(PresenceEvent presence) =>
        $"{TextSanitizer.Escape(presence.User)} {(presence.Kind == PresenceKind.LoggedIn ? "logged in" : "logged out")}";

    /// <summary>A direct message or broadcast (from either form of the frame), shown once and acknowledged every time.</summary>
    private void ShowDirect(IncomingMessage message, PendingAcks acks)
    {
        acks.Delivery(message.DeliveryId);
        if (seen.Add(message.From, message.MessageId))
        {
            var from = TextSanitizer.Escape(message.From);
            var sent = message.WasStored ? SentTimes.Suffix(message.SentAtUnixMs) : "";
            ui.WriteLine(message.IsBroadcast
                ? $"{from} (broadcast): {TextSanitizer.EscapeMessage(message.Text)}{sent}"
                : $"{from}: {TextSanitizer.EscapeMessage(message.Text)}{sent}");
        }
    }

    /// <summary>Shows a message (direct or room), presence change, notice or connection-level error; a message joins
    /// <paramref name="acks"/> (acknowledged even when it was a duplicate, so the server stops resending it).</summary>
    public void Show(ReceivedFrame frame, PendingAcks acks)
    {
        switch (frame.Type)
        {
            case FrameType.IncomingMessage when frame.TryRead(Json.IncomingMessage, out var message):
                ShowDirect(message, acks);
                break;
            case FrameType.IncomingCompact when CompactPayloads.TryReadIncoming(frame.Payload, out var message):
                ShowDirect(message, acks);
                break;
            case FrameType.RoomMessageEvent when frame.TryRead(Json.RoomMessageEvent, out var roomMessage):
                acks.Room(roomMessage.Room, roomMessage.Position);
                if (roomPositions.Add(roomMessage.Room, roomMessage.Position))
                {
                    var sent = roomMessage.WasStored ? SentTimes.Suffix(roomMessage.SentAtUnixMs) : "";
                    ui.WriteLine($"{TextSanitizer.Escape(roomMessage.Room)} {TextSanitizer.Escape(roomMessage.From)}: {TextSanitizer.EscapeMessage(roomMessage.Text)}{sent}");
                }
                break;
            case FrameType.RoomNotice when frame.TryRead(Json.RoomNotice, out var notice):
                ui.WriteLine(TextSanitizer.Escape(notice.Text));
                break;
            case FrameType.Presence when frame.TryRead(Json.PresenceEvent, out var presence):
                ui.WriteLine(PresenceLine(presence));
                break;
            case FrameType.PresenceDigest when frame.TryRead(Json.PresenceDigest, out var digest):
                foreach (var each in digest.Events)
                {
                    ui.WriteLine(PresenceLine(each));
                }
                if (digest.MoreLoggedIn + digest.MoreLoggedOut > 0)
                {
                    ui.WriteLine($"... and {digest.MoreLoggedIn} more logged in, {digest.MoreLoggedOut} more logged out (whoelse lists who is online)");
                }
                break;
            case FrameType.Notice when frame.TryRead(Json.Notice, out var serverNotice):
                ui.WriteLine($"[server] {TextSanitizer.Escape(serverNotice.Text)}");
                break;
            case FrameType.PrivateRequested when frame.TryRead(Json.PrivateRequested, out var requested):
                var asker = TextSanitizer.Escape(requested.From);
                ui.WriteLine($"{asker} wants a private session: acceptprivate {asker} / declineprivate {asker}");
                break;
            case FrameType.PrivateConsent when frame.TryRead(Json.PrivateConsent, out var consent):
                ShowConsent(consent);
                break;
            case FrameType.Response when frame.AsResponse() is { } response:
                ui.WriteLine(response.Message); // A connection-level error (request id 0), e.g. a protocol error.
                break;
        }
    }

    /// <summary>How a request this user made to someone in `privatemode ask` ended; an acceptance opens the session.</summary>
    private void ShowConsent(PrivateConsent consent)
    {
        var user = TextSanitizer.Escape(consent.User);
        switch (consent.Outcome)
        {
            case ConsentOutcome.Accepted when consent.Grant is { } grant && openAccepted is not null:
                openAccepted(grant); // "Private session with … started." follows once connected.
                break;
            case ConsentOutcome.Declined:
                ui.WriteLine($"{user} declined the private session.");
                break;
            case ConsentOutcome.NoAnswer:
                ui.WriteLine($"No answer from {user}; no private session was opened.");
                break;
            default:
                ui.WriteLine($"{user} is no longer available; no private session was opened.");
                break;
        }
    }
}
