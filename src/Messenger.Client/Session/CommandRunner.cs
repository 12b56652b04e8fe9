using Messenger.Client.Commands;
using Messenger.Client.Connection;
using Messenger.Client.Downloads;
using Messenger.Client.Peers;
using Messenger.Protocol.Tasks;
using Messenger.Client.Ui;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Session;

/// <summary>
/// Runs the user's commands (the same in terminal and pipe mode) against the server, the private sessions and the
/// downloads, and shows their answers. Messages go through the client's outbox; everything else is a request whose
/// error is shown as the server worded it.
/// </summary>
/// <param name="link">The current server link (null or closed while reconnecting).</param>
internal sealed class CommandRunner(IUserInterface ui, TimeProvider time, Func<ServerLink?> link, PrivateChats privateChats, DownloadManager downloads,
    BackgroundWork background, MessengerClient client)
{
    private static readonly TimeSpan ActivityReportWait = TimeSpan.FromSeconds(2);

    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly ServerRequests requests = new(ui, link);

    private RoomCommands Rooms => field ??= new RoomCommands(ui, time, requests);

    /// <summary>Runs one command; request/response commands wait for their answer, messages do not.</summary>
    public async Task ExecuteAsync(ClientCommand command)
    {
        switch (command.Kind)
        {
            case CommandKind.Message:
                client.SendMessage(command.Target!, command.Text!);
                break;
            case CommandKind.Broadcast:
                await requests.RequestAsync(FrameType.Broadcast, new BroadcastRequest(command.Text!), Json.BroadcastRequest, reply =>
                {
                    if (reply.TryRead(Json.BroadcastResult, out var result) && result.SkippedByBlock)
                    {
                        ui.WriteLine("Your message could not be delivered to some recipients.");
                    }
                });
                break;
            case CommandKind.WhoElse or CommandKind.WhoElseSince:
                var request = new WhoElseRequest(command.Kind == CommandKind.WhoElseSince ? command.Seconds : null);
                await requests.RequestAsync(FrameType.WhoElse, request, Json.WhoElseRequest, reply =>
                {
                    if (reply.TryRead(Json.UserList, out var list))
                    {
                        ShowUsers(list.Users, command.Kind == CommandKind.WhoElseSince);
                    }
                });
                break;
            case CommandKind.Block:
                await requests.RequestAsync(FrameType.Block, new BlockRequest(command.Target!), Json.BlockRequest, reply =>
                {
                    requests.ShowResponse(reply);
                    // A block takes effect at once: a private session with that user ends too.
                    background.Run("ending the private session with a blocked user", () => privateChats.StopAsync(command.Target!, PrivateCloseReasons.Blocked));
                });
                break;
            case CommandKind.StartPrivate:
                await StartPrivateAsync(command.Target!);
                break;
            case CommandKind.Private:
                if (!privateChats.Send(command.Target!, command.Text!))
                {
                    ui.WriteLine($"Private messaging to {command.Target} not enabled. Run 'startprivate {command.Target}' first.");
                    break;
                }
                await ReportActivityAsync("private");
                break;
            case CommandKind.StopPrivate:
                if (!await privateChats.StopAsync(command.Target!, PrivateCloseReasons.Stopped))
                {
                    ui.WriteLine($"There is no private session with {command.Target}.");
                    break;
                }
                await ReportActivityAsync("stopprivate");
                break;
            case CommandKind.Unblock:
                await requests.RequestAsync(FrameType.Unblock, new UnblockRequest(command.Target!), Json.UnblockRequest, requests.ShowResponse);
                break;
            case CommandKind.Logout:
                await client.LogoutAsync();
                break;
            case CommandKind.Download:
                await downloads.StartAsync(command.Target!, command.Text);
                break;
            case CommandKind.Join or CommandKind.Leave or CommandKind.RoomMessage or CommandKind.Rooms or CommandKind.Members or CommandKind.Topic
                or CommandKind.Invite or CommandKind.Kick or CommandKind.RoomMode or CommandKind.History or CommandKind.Invisible:
                await Rooms.ExecuteAsync(command);
                break;
            case CommandKind.PrivateMode:
                var mode = command.Text switch { "ask" => PrivateMode.Ask, "open" => PrivateMode.Open, _ => (PrivateMode?)null };
                await requests.RequestAsync(FrameType.SetPrivateMode, new PrivateModeRequest(mode), Json.PrivateModeRequest, requests.ShowResponse);
                break;
            case CommandKind.AcceptPrivate or CommandKind.DeclinePrivate:
                await requests.RequestAsync(FrameType.AnswerPrivate, new AnswerPrivateRequest(command.Target!, command.Kind == CommandKind.AcceptPrivate),
                    Json.AnswerPrivateRequest, requests.ShowResponse);
                break;
            case CommandKind.Privates:
                ShowLines(SessionReports.Privates(privateChats.Open(), time.GetUtcNow()));
                break;
            case CommandKind.Version:
                await requests.RequestAsync(FrameType.Version, new VersionRequest(), Json.VersionRequest, reply =>
                {
                    if (reply.TryRead(Json.VersionInfo, out var info))
                    {
                        ShowLines(SessionReports.Version(info, link()?.ServerKey));
                    }
                });
                break;
            case CommandKind.Help:
                foreach (var (usage, description) in CommandParser.Help)
                {
                    ui.WriteLine($"  {usage,-32} {description}");
                }
                ui.WriteLine($"  Shared with others: {downloads.Share.Root}");
                ui.WriteLine($"  Downloads go to:    {downloads.DownloadDirectory}");
                break;
        }
    }

    private async Task StartPrivateAsync(string target)
    {
        if (privateChats.Has(target))
        {
            ui.WriteLine($"A private session with {target} is already active.");
            await ReportActivityAsync("startprivate");
            return;
        }
        PrivateGrant? grant = null;
        await requests.RequestAsync(FrameType.StartPrivate, new StartPrivateRequest(target), Json.StartPrivateRequest, reply =>
        {
            // A target in `privatemode ask` is asked first: the outcome comes later as an event, so nothing waits here.
            if (reply.Type == FrameType.PrivatePending && reply.TryRead(Json.PrivatePending, out var pending))
            {
                ui.WriteLine($"Waiting for {TextSanitizer.Escape(pending.User)} to accept the private session (up to {pending.TimeoutSeconds} s)...");
                return;
            }
            reply.TryRead(Json.PrivateGrant, out grant);
        });
        if (grant is not null)
        {
            await privateChats.StartAsync(client.User!, grant);
        }
    }

    /// <summary>
    /// Private traffic never reaches the server, so tell it (without the text) that the user is active. Awaited by the
    /// command that caused it (for at most <see cref="ActivityReportWait"/>), so the user's next command runs after
    /// the server counted the activity; best effort: a slow or lost link only skips the report.
    /// </summary>
    public async Task ReportActivityAsync(string kind)
    {
        if (link() is not { } current || current.Closed.IsCompleted)
        {
            return;
        }
        try
        {
            await current.RequestAsync(FrameType.Activity, new ActivityRequest(kind), Json.ActivityRequest).WaitAsync(ActivityReportWait, time);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Best effort: the next activity report (or command) counts again.
        }
    }

    private void ShowUsers(string[] users, bool since)
    {
        if (users.Length == 0)
        {
            ui.WriteLine(since ? "No other users were online in that time." : "No other users are online.");
            return;
        }
        foreach (var name in users)
        {
            ui.WriteLine(name);
        }
    }

    private void ShowLines(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            ui.WriteLine(line);
        }
    }
}
