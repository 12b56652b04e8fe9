using System.Net;
using System.Net.Sockets;
using Messenger.Protocol.Tasks;
using Messenger.Server.Connections;
using Messenger.Server.Messaging;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Hosting;

/// <summary>
/// The running server: one accept loop, one task per connection (async, no thread each), one sweep timer.
/// Stop: stop accepting, end every session with a notice, wait for connections to drain, then abort.
/// </summary>
public sealed class ServerHost : IAsyncDisposable
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly ServerOptions options;
    private readonly ServerCore chat;
    private readonly TimeProvider time;
    // Real time, not the chat's clock: memory held is a property of the process (tests drive the chat's clock fast).
    private readonly MemoryTrimmer memory = new(TimeProvider.System);
    private readonly ILoggerFactory loggers;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ClientConnection, byte> connections = new();
    private readonly BackgroundWork serving;
    private Socket? listener;
    private Task? acceptLoop;
    private Task? sweepLoop;

    private readonly ServerTransport transport;

    /// <param name="certificate">The TLS certificate with its key; null only when options.Plaintext is set.</param>
    public ServerHost(ServerOptions options, ServerCore chat, TimeProvider time, ILoggerFactory loggers, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        if (certificate is null && !options.Plaintext)
        {
            throw new ArgumentException("TLS needs a certificate; plaintext must be chosen explicitly (ServerOptions.Plaintext).", nameof(certificate));
        }
        transport = new ServerTransport(options.Plaintext ? null : certificate, options.TlsHandshakeTimeout, time, loggers.CreateLogger<ServerTransport>());
        this.options = options;
        this.chat = chat;
        this.time = time;
        this.loggers = loggers;
        logger = loggers.CreateLogger<ServerHost>();
        serving = new BackgroundWork((what, failure) => logger.LogError(failure, "Failed while {What}", what));
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)(listener?.LocalEndPoint ?? throw new InvalidOperationException("The server is not started."));

    public ServerCore Chat => chat;

    public void Start()
    {
        var address = options.ParseListenAddress();
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            socket.DualMode = true;
        }
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(address, options.Port));
        socket.Listen(4096);
        listener = socket;
        acceptLoop = AcceptLoopAsync(socket);
        sweepLoop = SweepLoopAsync();
    }

    private async Task AcceptLoopAsync(Socket socket)
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await socket.AcceptAsync(stopping.Token);
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
            serving.Run("serving a connection", () => ServeAsync(client));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await Task.Yield();
        chat.Stats.ConnectionOpened();
        ClientConnection? connection = null;
        try
        {
            var stream = await transport.AcceptAsync(socket, stopping.Token);
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

    private async Task SweepLoopAsync()
    {
        using var timer = new PeriodicTimer(options.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping.Token))
            {
                try
                {
                    await chat.Lifecycle.SweepAsync();
                    await chat.Retention.TrimIfDueAsync();
                    await chat.RoomPositions.FlushAsync();
                    if (chat.Cluster is { } cluster)
                    {
                        await cluster.SweepAsync();
                    }
                    if (memory.TrimIfHeld())
                    {
                        logger.LogInformation("Quiet after a burst: gave memory back, GC held {BeforeMb} MB, now {AfterMb} MB",
                            memory.LastTrim.Before >> 20, memory.LastTrim.After >> 20);
                    }
                }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Sweep failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Graceful stop: no new connections, every user told, queued frames flushed, then the rest aborted.</summary>
    public async Task StopAsync()
    {
        if (stopping.IsCancellationRequested)
        {
            return;
        }
        await stopping.CancelAsync();
        listener?.Dispose();
        await chat.Operator.ShutdownAsync();
        foreach (var connection in connections.Keys)
        {
            connection.Close(Protocol.Contracts.Reasons.Shutdown);
        }
        if (!await serving.DrainAsync(DrainTimeout))
        {
            foreach (var connection in connections.Keys)
            {
                connection.Abort(Protocol.Contracts.Reasons.Shutdown);
            }
            await serving.DrainAsync(DrainTimeout);
        }
        if (acceptLoop is not null)
        {
            await acceptLoop;
        }
        if (sweepLoop is not null)
        {
            await sweepLoop;
        }
        // What was written behind reaches the store before it closes: room positions, history queued last.
        await chat.RoomPositions.FlushAsync();
        await chat.WriteBehind.DrainAsync(DrainTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        stopping.Dispose();
    }
}
