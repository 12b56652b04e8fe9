using Messenger.Client.Connection;
using Messenger.Client.Downloads;
using Messenger.Client.Peers;
using Messenger.Client.Ui;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tasks;

namespace Messenger.Client.Session;

/// <summary>
/// Shows a link's events on their own task and acknowledges each batch of them together. The logout is queued through
/// here too, under the same lock as showing a batch and acknowledging it, so a logout never overtakes the ack of a
/// message already on the screen (the next login would be offered it again, and show it twice).
/// </summary>
/// <param name="finish">Ends the client session with an exit code.</param>
/// <param name="linkClosed">What the session does once a link's events end (reconnect, or give up).</param>
public sealed class EventPump(EventPresenter presenter, IUserInterface ui, BackgroundWork background, DownloadManager downloads,
    PrivateChats privateChats, Action<ClientExit> finish, Func<ServerLink, Task> linkClosed)
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly Lock showing = new();

    /// <summary>Events are shown on their own task. If it dies, nothing more would be shown or acknowledged: the
    /// client ends with a message and exit code 1 rather than go on deaf.</summary>
    public void Start(ServerLink current) => background.Run("showing events", async () =>
    {
        try
        {
            await Task.Run(() => PumpAsync(current));
        }
        catch
        {
            finish(new ClientExit(1, "internal_error"));
            throw;
        }
    });

    /// <summary>Queues the logout after the acknowledgements of everything shown so far; completes with its answer.</summary>
    public Task<ReceivedFrame> LogoutAsync(ServerLink current)
    {
        lock (showing)
        {
            return current.RequestAsync(FrameType.Logout, new LogoutRequest(), Json.LogoutRequest);
        }
    }

    private async Task PumpAsync(ServerLink current)
    {
        var acks = new PendingAcks();
        var events = current.Events;
        while (await events.WaitToReadAsync())
        {
            lock (showing)
            {
                while (events.TryRead(out var frame))
                {
                    Show(frame, acks);
                }
                acks.Post(current); // Everything that arrived together is acknowledged together.
            }
        }
        await linkClosed(current);
    }

    /// <summary>Shows an event; the two that do more than show something are handled here.</summary>
    private void Show(ReceivedFrame frame, PendingAcks acks)
    {
        switch (frame.Type)
        {
            case FrameType.HolderQuery when frame.TryRead(Json.HolderQuery, out var query):
                background.Run("answering a holder query", () => downloads.AnswerHolderQueryAsync(query)); // Hashing may take a while: never on the event task.
                break;
            case FrameType.SessionEnded when frame.TryRead(Json.SessionEnded, out var ended):
                ui.WriteLine(TextSanitizer.Escape(ended.Message));
                background.Run("ending private sessions", () => privateChats.StopAllAsync(ended.Reason == Reasons.Timeout ? PrivateCloseReasons.TimedOut : PrivateCloseReasons.LoggedOut));
                finish(new ClientExit(ended.Reason == Reasons.Timeout ? 0 : 1, ended.Reason));
                break;
            default:
                presenter.Show(frame, acks);
                break;
        }
    }
}
