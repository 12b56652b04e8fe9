using Messenger.Client.Commands;
using Messenger.Client.Connection;
using Messenger.Client.Downloads;
using System.Net;
using Messenger.Client.Hosting;
using Messenger.Client.Peers;
using Messenger.Protocol.Tasks;
using Messenger.Client.Ui;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Polly;
using Polly.Retry;

namespace Messenger.Client.Session;

/// <summary>
/// A logged-in client session: runs commands, shows events, acknowledges messages, and keeps every sent message in
/// an outbox until the server answers `delivered` or `stored`. When the connection drops it reconnects (Polly:
/// exponential backoff with jitter, bounded), resumes the session with its token, and sends the outbox again.
/// Logout, timeout, a kick, a server shutdown and a lockout end it instead; they are never retried.
/// </summary>
public sealed class MessengerClient : IAsyncDisposable
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly ClientOptions options;
    private readonly IUserInterface ui;
    private readonly TimeProvider time;
    private readonly Outbox outbox;
    private readonly BackgroundWork background;
    private readonly TaskCompletionSource<ClientExit> finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly EventPump events;
    private readonly CommandRunner commands;
    private readonly MessageSender sender;
    private readonly ResiliencePipeline reconnectPipeline;
    private readonly PeerIdentity peerIdentity = PeerIdentity.Create(); // Made in the background: the login needs it first.
    private readonly PrivateChats privateChats;
    private readonly DownloadManager downloads;
    private readonly ServerEndpoints endpoints;
    private ServerLink? link;
    private string? serverKey;
    private string? user;
    private string? loginName; // As typed: `guest` for a guest, whose session name the server chooses.
    private string? password;
    private string? resumeToken;

    public MessengerClient(ClientOptions options, IUserInterface ui, TimeProvider time)
    {
        this.options = options;
        this.ui = ui;
        this.time = time;
        endpoints = new ServerEndpoints(options.Host, options.Port, options.Servers);
        background = UserReportedWork.Create(ui);
        outbox = new Outbox(time);
        sender = new MessageSender(outbox, ui, background, () => link);
        privateChats = new PrivateChats(ui, peerIdentity, time)
        {
            CurrentUser = () => user,
            ServerKey = () => serverKey,
        };
        // The downloads report activity through the command runner, which needs the downloads: set just below.
        downloads = new DownloadManager(options, ui, time, privateChats, background, () => link, () => user, () => serverKey,
            kind => background.Run("reporting activity", () => commands!.ReportActivityAsync(kind)));
        commands = new CommandRunner(ui, time, () => link, privateChats, downloads, background, this);
        var presenter = new EventPresenter(ui, grant => background.Run("opening an accepted private session", () => privateChats.StartAsync(user!, grant)));
        events = new EventPump(presenter, ui, background, downloads, privateChats, Finish, OnLinkClosedAsync);
        reconnectPipeline = ReconnectPolicy.Create(options, time);
    }

    /// <summary>Completes when the session is over, with the exit code for the process.</summary>
    public Task<ClientExit> Finished => finished.Task;

    public string? User => user;

    public int OutboxCount => outbox.Count;

    /// <summary>
    /// Connects to the server. Throws SocketException when it cannot be reached, IOException when TLS fails, and
    /// ServerIdentityException when its key is not the one pinned.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        privateChats.Listen(LocalAddress ?? IPAddress.IPv6Any, options.PeerPort);
        link = await OpenLinkAsync(cancellationToken);
        if (link.TrustNotice is { } notice)
        {
            ui.WriteLine(notice);
        }
    }

    private async Task<ServerLink> OpenLinkAsync(CancellationToken cancellationToken) =>
        (await endpoints.ConnectAsync((host, port) => ServerLink.ConnectAsync(host, port,
            options.Plaintext ? null : new ServerTrust(options.ResolveStateDirectory(), host, port, options.TrustFingerprint),
            LocalAddress, cancellationToken))).KeepAlive(options.KeepAliveInterval, options.KeepAliveTimeout, time);

    private IPAddress? LocalAddress => options.LocalAddress is { } address ? IPAddress.Parse(address) : null;

    /// <summary>A login (or resume) that also registers where and with which key peers can reach this client.</summary>
    private async Task<LoginRequest> LoginRequestAsync(string userName, string? userPassword, string? token) =>
        new(userName, userPassword, token, privateChats.Port, await peerIdentity.GetFingerprintAsync(), options.AdvertiseHost, Features: [ClientFeatures.Rooms, ClientFeatures.Compact]);

    /// <summary>
    /// The key tickets must be signed with (the one TLS verified, else, in plaintext, the one the server named), and
    /// whether this link may send compact frames (the server took up the feature; an older one does not name it).
    /// </summary>
    private void RememberServer(ServerLink current, LoginAccepted accepted)
    {
        serverKey = current.ServerKey ?? accepted.ServerKey;
        current.SpeaksCompact = accepted.Features?.Contains(ClientFeatures.Compact) == true;
    }

    /// <summary>Tries one password login (<paramref name="register"/>: create the account if the name is free). On success, starts showing events.</summary>
    public async Task<LoginResult> LoginAsync(string userName, string userPassword, bool register = false)
    {
        var current = link ?? throw new InvalidOperationException("Connect first.");
        ReceivedFrame reply;
        try
        {
            reply = await current.RequestAsync(FrameType.Login, await LoginRequestAsync(userName, userPassword, null) with { Register = register }, Json.LoginRequest);
        }
        catch (ConnectionLostException ex)
        {
            return new LoginResult(false, $"The server closed the connection: {ex.Message}", Reasons.ServerError);
        }
        if (reply.Type == FrameType.LoginAccepted && reply.TryRead(Json.LoginAccepted, out var accepted))
        {
            user = accepted.Username;
            (loginName, password) = (userName, userPassword);
            resumeToken = accepted.ResumeToken;
            RememberServer(current, accepted);
            ui.WriteLine(accepted.Welcome);
            events.Start(current);
            return new LoginResult(true, accepted.Welcome, null);
        }
        var response = reply.AsResponse();
        return new LoginResult(false, response?.Message ?? "Unexpected reply from the server.", response?.Reason ?? Reasons.ServerError);
    }

    /// <summary>Runs one command; request/response commands wait for their answer, messages do not.</summary>
    public Task ExecuteAsync(ClientCommand command) => commands.ExecuteAsync(command);

    /// <summary>Queues a message in the outbox and sends it; its fate is shown when the server answers.</summary>
    public void SendMessage(string to, string text) => sender.Send(to, text);

    /// <summary>
    /// Waits until every sent message has an answer and running downloads have finished, the session ends, or the
    /// timeout passes.
    /// </summary>
    public async Task DrainOutboxAsync(TimeSpan timeout)
    {
        try
        {
            await Task.WhenAny(Task.WhenAll(outbox.WhenEmpty(), downloads.WhenAllAsync()), finished.Task).WaitAsync(timeout, time);
        }
        catch (TimeoutException)
        {
            // Leaving with answers still owed: the caller says so.
        }
    }

    public async Task LogoutAsync()
    {
        await privateChats.StopAllAsync(PrivateCloseReasons.LoggedOut);
        if (link is { } current && !current.Closed.IsCompleted)
        {
            Finish(new ClientExit(0, Reasons.LoggedOut));
            try
            {
                await events.LogoutAsync(current).WaitAsync(TimeSpan.FromSeconds(5), time);
            }
            catch (Exception ex) when (ex is ConnectionLostException or TimeoutException)
            {
                // Leaving anyway.
            }
        }
        Finish(new ClientExit(0, Reasons.LoggedOut));
        ui.WriteLine("Goodbye!");
    }

    private async Task OnLinkClosedAsync(ServerLink closed)
    {
        if (finished.Task.IsCompleted)
        {
            return;
        }
        ui.WriteLine(closed.OverflowReason is { } why
            ? $"Connection to the server lost ({why}); reconnecting..."
            : "Connection to the server lost; reconnecting...");
        MoveOnIfFenced(closed);
        try
        {
            await reconnectPipeline.ExecuteAsync(async token => await ReconnectOnceAsync(token));
        }
        catch (Exception ex) when (ex is ConnectionLostException or System.Net.Sockets.SocketException or IOException)
        {
            ui.WriteLine("Could not reconnect to the server; giving up. Messages not yet confirmed were not sent.");
            Finish(new ClientExit(1, "connection_lost"));
        }
        catch (SessionRefusedException refused)
        {
            ui.WriteLine(refused.Message);
            Finish(new ClientExit(1, refused.Reason));
        }
        catch (ServerIdentityException untrusted)
        {
            ui.WriteLine(untrusted.Message);
            Finish(new ClientExit(1, "untrusted_server"));
        }
        await closed.DisposeAsync();
    }

    private async ValueTask ReconnectOnceAsync(CancellationToken cancellationToken)
    {
        var fresh = await OpenLinkAsync(cancellationToken);
        try
        {
            var reply = await fresh.RequestAsync(FrameType.Login, await LoginRequestAsync(user!, null, resumeToken), Json.LoginRequest);
            if (reply.AsResponse() is { Reason: Reasons.BadResumeToken })
            {
                // The server restarted (sessions are in memory): log in again with the password we were given.
                reply = await fresh.RequestAsync(FrameType.Login, await LoginRequestAsync(loginName!, password, null), Json.LoginRequest);
            }
            if (reply.Type != FrameType.LoginAccepted || !reply.TryRead(Json.LoginAccepted, out var accepted))
            {
                var response = reply.AsResponse();
                throw new SessionRefusedException(response?.Message ?? "The server refused the session.", response?.Reason ?? Reasons.ServerError);
            }
            resumeToken = accepted.ResumeToken;
            RememberServer(fresh, accepted);
            link = fresh;
            ui.WriteLine(accepted.Username == user ? "Reconnected." : $"Reconnected. {accepted.Welcome}"); // A guest may get a new name.
            user = accepted.Username;
            sender.ResendUnanswered(fresh);
            events.Start(fresh);
        }
        catch
        {
            MoveOnIfFenced(fresh);
            await fresh.DisposeAsync();
            throw;
        }
    }

    /// <summary>A node that fenced itself turns clients away until it rejoins: try the cluster's next node first.</summary>
    private void MoveOnIfFenced(ServerLink closed)
    {
        if (closed.ClosingAnswer?.Reason == Reasons.Fenced)
        {
            endpoints.MoveOn();
        }
    }

    private void Finish(ClientExit exit) => finished.TrySetResult(exit);

    public async ValueTask DisposeAsync()
    {
        Finish(new ClientExit(0, "disposed"));
        await privateChats.DisposeAsync();
        await peerIdentity.DisposeAsync();
        if (link is { } current)
        {
            await current.DisposeAsync(); // Ends the event pump and fails what waits for answers, so the drain is short.
        }
        await background.DrainAsync(TimeSpan.FromSeconds(5));
    }
}
