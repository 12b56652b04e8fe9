using System.Net;
using System.Net.Sockets;
using Messenger.Protocol.Tasks;
using Messenger.Client.Ui;
using Messenger.Protocol.Contracts;
using Polly;

namespace Messenger.Client.Peers;

/// <summary>
/// This client's private sessions: listens for peers, opens sessions the server brokered, and keeps one session per
/// peer user. The server only brokers; private texts go straight between the two clients.
/// Locking: one monitor over the session map; sessions do their own I/O.
/// </summary>
public sealed class PrivateChats : IAsyncDisposable
{
    private readonly IUserInterface ui;
    private readonly PeerHandshake handshake;
    private readonly Dictionary<string, PeerSession> sessions = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly ResiliencePipeline connectPipeline;
    private readonly BackgroundWork background;
    private readonly TimeProvider time;
    private Socket? listener;

    public PrivateChats(IUserInterface ui, PeerIdentity identity, TimeProvider time)
    {
        this.ui = ui;
        this.time = time;
        background = UserReportedWork.Create(ui); // Its own: DisposeAsync drains exactly the work of these sessions.
        handshake = new PeerHandshake(identity, time);
        connectPipeline = PeerRetry.Create(time);
    }

    /// <summary>Who we are once logged in (null before): peers are accepted only then.</summary>
    public Func<string?> CurrentUser { get; set; } = () => null;

    /// <summary>The key that must have signed every ticket (the pinned server key).</summary>
    public Func<string?> ServerKey { get; set; } = () => null;

    /// <summary>The port peers connect to (0 until listening).</summary>
    public int Port => (listener?.LocalEndPoint as IPEndPoint)?.Port ?? 0;

    public void Listen(IPAddress address, int port)
    {
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = true;
        }
        socket.Bind(new IPEndPoint(address, port));
        socket.Listen(64);
        listener = socket;
        background.Run("accepting peers", () => AcceptLoopAsync(socket));
    }

    private async Task AcceptLoopAsync(Socket socket)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket peer;
            try
            {
                peer = await socket.AcceptAsync(stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            peer.NoDelay = true;
            background.Run("accepting a peer", () => AcceptOneAsync(peer));
        }
    }

    /// <summary>Serves a downloader that connected for swarm chunks (set by the client; null: refuse).</summary>
    public Func<PeerLink, Task>? ServeSwarm { get; set; }

    /// <summary>The handshake, shared with the downloader (same identity and checks).</summary>
    public PeerHandshake Handshake => handshake;

    private async Task AcceptOneAsync(Socket peer)
    {
        var key = ServerKey();
        var link = key is null ? null : await handshake.AcceptAsync(peer, CurrentUser(), key, stopping.Token);
        if (link is null)
        {
            peer.Dispose();
            return;
        }
        if (link.Purpose == Security.TicketPurposes.Private)
        {
            Register(new PeerSession(link.User, link.Stream, link.Reader));
        }
        else if (ServeSwarm is { } serve)
        {
            await serve(link);
        }
        else
        {
            await link.DisposeAsync();
        }
    }

    /// <summary>The open sessions, by peer name (for `privates`).</summary>
    public IReadOnlyList<PeerSession> Open()
    {
        lock (gate)
        {
            return [.. sessions.Values.OrderBy(s => s.PeerUser, StringComparer.Ordinal)];
        }
    }

    public bool Has(string user)
    {
        lock (gate)
        {
            return sessions.ContainsKey(user);
        }
    }

    /// <summary>Opens the session the server brokered. Errors are shown to the user, not thrown.</summary>
    public async Task StartAsync(string me, PrivateGrant grant)
    {
        if (ServerKey() is not { } key)
        {
            ui.WriteLine("Private sessions need the server's key, which this connection did not provide.");
            return;
        }
        try
        {
            var session = await connectPipeline.ExecuteAsync(async token => await handshake.ConnectAsync(me, grant, key, token), stopping.Token);
            Register(session);
        }
        catch (PeerRefusedException ex)
        {
            ui.WriteLine(ex.Message);
        }
        catch (Exception ex) when (ex is SocketException or TimeoutException or IOException)
        {
            ui.WriteLine($"Could not reach {grant.User} for a private session ({grant.Host}:{grant.Port}): {ex.Message}");
        }
    }

    /// <summary>Adds an authenticated session and starts it (internal: tests register sessions over their own streams).</summary>
    internal void Register(PeerSession session)
    {
        var user = session.PeerUser;
        session.StartedAt = time.GetUtcNow();
        lock (gate)
        {
            if (!sessions.TryAdd(user, session))
            {
                session = null!;
            }
        }
        if (session is null)
        {
            return; // Both sides started at once: the first session stands, this one is dropped.
        }
        ui.WriteLine($"Private session with {TextSanitizer.Escape(user)} started.");
        background.Run("reading a private session", () => session.Start(text => ui.WriteLine($"{TextSanitizer.Escape(user)}(private): {TextSanitizer.Escape(text)}")));
        background.Run("waiting for a private session's end", () => ReportEndAsync(session));
    }

    /// <summary>Tells the user when the peer (or the connection) ended the session; endings from this side are told by StopAsync.</summary>
    private async Task ReportEndAsync(PeerSession session)
    {
        var user = session.PeerUser;
        var reason = await session.Ended;
        bool endedByPeer;
        lock (gate)
        {
            endedByPeer = sessions.TryGetValue(user, out var current) && ReferenceEquals(current, session) && sessions.Remove(user);
        }
        if (endedByPeer)
        {
            ui.WriteLine($"Private session with {TextSanitizer.Escape(user)} ended{Explain(user, reason)}.");
        }
    }

    /// <summary>
    /// Sends a text; false when there is no session with <paramref name="user"/>. A session that ends instead (its peer
    /// stopped reading) is reported by <see cref="ReportEndAsync"/>, like any other ending, with the reason.
    /// </summary>
    public bool Send(string user, string text)
    {
        PeerSession? session;
        lock (gate)
        {
            sessions.TryGetValue(user, out session);
        }
        if (session is null)
        {
            return false;
        }
        session.Send(text);
        return true;
    }

    /// <summary>Ends one session from this side; the peer is told <paramref name="reason"/>.</summary>
    public async Task<bool> StopAsync(string user, string reason)
    {
        PeerSession? session;
        lock (gate)
        {
            sessions.Remove(user, out session);
        }
        if (session is null)
        {
            return false;
        }
        await session.CloseAsync(reason);
        ui.WriteLine($"Private session with {TextSanitizer.Escape(user)} ended.");
        return true;
    }

    public async Task StopAllAsync(string reason)
    {
        List<string> users;
        lock (gate)
        {
            users = [.. sessions.Keys];
        }
        foreach (var user in users)
        {
            await StopAsync(user, reason);
        }
    }

    /// <summary>What the peer said, in words; a block is deliberately reported like any other ending.</summary>
    private static string Explain(string user, string reason) => reason switch
    {
        PrivateCloseReasons.Stopped => $" ({TextSanitizer.Escape(user)} stopped it)",
        PrivateCloseReasons.LoggedOut => $" ({TextSanitizer.Escape(user)} logged out)",
        PrivateCloseReasons.TimedOut => $" ({TextSanitizer.Escape(user)} timed out)",
        PrivateCloseReasons.ConnectionLost => " (connection lost)",
        PrivateCloseReasons.PeerNotReading => $" ({TextSanitizer.Escape(user)} stopped reading; texts not yet delivered were dropped)",
        _ => "",
    };

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener?.Dispose();
        await StopAllAsync(PrivateCloseReasons.LoggedOut);
        await background.DrainAsync(TimeSpan.FromSeconds(5));
        stopping.Dispose();
    }
}
