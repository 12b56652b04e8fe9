using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Tasks;
using Messenger.Server.Connections;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Server.Hosting;

/// <summary>
/// The listening socket, the accept loop and every connection's task (async, no thread each; all owned by
/// <see cref="serving"/>). Binds in <see cref="StartAsync"/>, so a port in use fails the start, before "Listening on".
/// Stops in the order of a graceful shutdown (STYLE 7): stop accepting, end every session with a notice, let the
/// connections flush and close within <see cref="DrainTimeout"/>, then abort the rest.
/// </summary>
public sealed class AcceptLoopService : BackgroundService
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly ServerOptions options;
    private readonly ServerCoreStartup core;
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly ServerTransport transport;
    private readonly ConcurrentDictionary<ClientConnection, byte> connections = new();
    private readonly BackgroundWork serving;
    private Socket? listener;
    private int stopped;

    public AcceptLoopService(IOptions<ServerOptions> options, ServerCoreStartup core, TimeProvider time, ILoggerFactory loggers, X509Certificate2 certificate)
    {
        this.options = options.Value;
        this.core = core;
        this.loggers = loggers;
        logger = loggers.CreateLogger<AcceptLoopService>();
        transport = new ServerTransport(this.options.Plaintext ? null : certificate, this.options.TlsHandshakeTimeout, time, loggers.CreateLogger<ServerTransport>());
        serving = new BackgroundWork((what, failure) => logger.LogError(failure, "Failed while {What}", what));
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)(listener?.LocalEndPoint ?? throw new InvalidOperationException("The server is not started."));

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var address = options.ParseListenAddress();
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = true;
            }
            AllowRestartDuringTimeWait(socket);
            socket.Bind(new IPEndPoint(address, options.Port));
            socket.Listen(4096);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        listener = socket;
        return base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// SO_REUSEADDR alone, so a restarted server can bind while its old connections sit in TIME_WAIT. Not
    /// <c>SocketOptionName.ReuseAddress</c>: on Linux and macOS .NET adds SO_REUSEPORT to it, which let a second server
    /// bind the same port next to a running one, silently splitting its clients between the two. Windows needs
    /// neither (its default refuses a second listener and allows TIME_WAIT).
    /// </summary>
    private static void AllowRestartDuringTimeWait(Socket socket)
    {
        if (OperatingSystem.IsLinux())
        {
            socket.SetRawSocketOption(1, 2, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_REUSEADDR
        }
        else if (OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            socket.SetRawSocketOption(0xffff, 4, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_REUSEADDR
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var socket = listener!;
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Out of descriptors, a reset during accept: log and keep serving everyone else.
                logger.LogWarning("Accept failed: {Message}", ex.Message);
                continue;
            }
            client.NoDelay = true; // Chat frames are small: never let Nagle hold one back 40 ms.
            serving.Run("serving a connection", () => ServeAsync(client, stoppingToken));
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken stopping)
    {
        await Task.Yield();
        var chat = core.Core;
        chat.Stats.ConnectionOpened();
        ClientConnection? connection = null;
        try
        {
            var stream = await transport.AcceptAsync(socket, stopping);
            if (stream is null)
            {
                socket.Dispose();
                return;
            }
            connection = new ClientConnection(socket, stream, options.OutboundQueueBytes, loggers.CreateLogger<ClientConnection>(), chat.Stats);
            connections[connection] = 0;
            await connection.RunAsync(new ConnectionHandler(chat, connection, loggers.CreateLogger<ConnectionHandler>()));
        }
        finally
        {
            chat.Stats.ConnectionClosed();
            if (connection is not null)
            {
                connections.TryRemove(connection, out _);
            }
        }
    }

    /// <summary>Graceful stop: no new connections, every user told, queued frames flushed, then the rest aborted.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref stopped, 1) == 1)
        {
            return;
        }
        await base.StopAsync(cancellationToken); // cancels the accept: the loop has ended, nobody new gets in
        listener?.Dispose();
        await core.Core.Operator.ShutdownAsync();
        foreach (var connection in connections.Keys)
        {
            connection.Close(Reasons.Shutdown);
        }
        if (!await serving.DrainAsync(DrainTimeout))
        {
            foreach (var connection in connections.Keys)
            {
                connection.Abort(Reasons.Shutdown);
            }
            await serving.DrainAsync(DrainTimeout);
        }
    }

    public override void Dispose()
    {
        listener?.Dispose();
        base.Dispose();
    }
}
