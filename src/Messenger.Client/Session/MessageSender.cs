using Messenger.Client.Connection;
using Messenger.Protocol.Tasks;
using Messenger.Client.Ui;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Session;

/// <summary>
/// Sends direct messages through the <see cref="Outbox"/>: each waits there until the server answers (`delivered`,
/// `stored`, or a refusal, which is shown), and everything unanswered goes again on the next link.
/// </summary>
/// <param name="link">The current server link (null while reconnecting: the message waits in the outbox).</param>
public sealed class MessageSender(Outbox outbox, IUserInterface ui, BackgroundWork background, Func<ServerLink?> link)
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    /// <summary>Queues a message in the outbox and sends it; its fate is shown when the server answers.</summary>
    public void Send(string to, string text)
    {
        var entry = outbox.Add(to, text);
        if (link() is { } current)
        {
            Transmit(current, entry);
        }
    }

    private void Transmit(ServerLink current, OutboxEntry entry) =>
        background.Run("waiting for a message's answer", () => AwaitAnswerAsync(entry, current.SpeaksCompact
            ? current.RequestAsync(id => CompactFrames.SendMessage(id, entry.To, entry.Text, entry.MessageId))
            : current.RequestAsync(FrameType.SendMessage, new SendMessageRequest(entry.To, entry.Text, entry.MessageId), Json.SendMessageRequest)));

    private async Task AwaitAnswerAsync(OutboxEntry entry, Task<ReceivedFrame> reply)
    {
        ReceivedFrame frame;
        try
        {
            frame = await reply;
        }
        catch (ConnectionLostException)
        {
            return; // The entry stays in the outbox and goes again after the reconnect.
        }
        if (frame.Type == FrameType.SendResultCompact ? CompactPayloads.TryReadSendResult(frame.Payload, out var result) : frame.TryRead(Json.SendResult, out result))
        {
            if (result.Outcome == DeliveryOutcome.Stored)
            {
                ui.WriteLine($"{entry.To} is not connected; your message is kept and will be delivered when they are.");
            }
        }
        else if (frame.AsResponse() is { } response)
        {
            ui.WriteLine(response.Message);
        }
        outbox.Answered(entry.MessageId);
    }

    /// <summary>After a reconnect: everything not yet answered, in order, with the same ids.</summary>
    public void ResendUnanswered(ServerLink fresh)
    {
        foreach (var entry in outbox.Unanswered())
        {
            Transmit(fresh, entry);
        }
    }
}
