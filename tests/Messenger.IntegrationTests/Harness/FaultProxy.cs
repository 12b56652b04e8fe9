using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Messenger.IntegrationTests.Harness;

/// <summary>
/// A TCP proxy on loopback between clients and the server that a test can break the way networks break, while the
/// server and the clients keep running:
/// <list type="bullet">
/// <item><see cref="CutAll"/> resets every connection through it at once (both ends see the link die);</item>
/// <item><see cref="BlackholeAll"/> silently drops everything on the connections open now (TCP stays up on both sides,
/// as when a NAT forgets a mapping or a laptop sleeps);</item>
/// <item><see cref="Path"/> shapes one direction of every connection, open now or later: a fixed latency per chunk, a
/// rate in bytes per second, or a stall (nothing read or passed on until released; TCP's flow control then reaches
/// the sender, as with a peer that stopped reading).</item>
/// </list>
/// New connections are forwarded as before, so clients can reconnect through it. Every task it starts is owned and
/// awaited at dispose.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly int targetPort;
    private readonly int? serverReceiveBufferBytes;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<ProxiedConnection, byte> open = new();
    private readonly ConcurrentBag<Task> pumps = [];
    private readonly PathShape upstream = new();
    private readonly PathShape downstream = new();
    private readonly Task accepting;

    private FaultProxy(int targetPort, int? serverReceiveBufferBytes)
    {
        this.targetPort = targetPort;
        this.serverReceiveBufferBytes = serverReceiveBufferBytes;
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        accepting = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndPoint!).Port;

    /// <summary>How many times <see cref="CutAll"/> was called.</summary>
    public int Cuts { get; private set; }

    /// <summary>Connections accepted so far (a reconnect is a new one).</summary>
    public int Connections { get; private set; }

    /// <param name="serverReceiveBufferBytes">
    /// The receive buffer of the proxy's sockets towards the server. Small, it makes a stalled path push back on the
    /// server after a few KiB instead of after the megabytes the kernel would otherwise take in.
    /// </param>
    public static FaultProxy Start(int targetPort, int? serverReceiveBufferBytes = null) => new(targetPort, serverReceiveBufferBytes);

    /// <summary>The shape of one direction of the path, for every connection through the proxy.</summary>
    public PathShape Path(ProxyDirection direction) => direction == ProxyDirection.ClientToServer ? upstream : downstream;

    /// <summary>Both directions at once: the same latency each way, as on a long link.</summary>
    public void DelayBothWays(TimeSpan latency)
    {
        upstream.Latency = latency;
        downstream.Latency = latency;
    }

    /// <summary>Resets every connection through the proxy now (RST, no goodbye on either side).</summary>
    public void CutAll()
    {
        foreach (var connection in open.Keys)
        {
            connection.Reset();
        }
        Cuts++;
    }

    /// <summary>From now on, bytes on the connections open now are read and dropped, in both directions.</summary>
    public void BlackholeAll()
    {
        foreach (var connection in open.Keys)
        {
            connection.Blackholed = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Dispose();
        CutAll();
        await accepting;
        await Task.WhenAll(pumps);
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (serverReceiveBufferBytes is { } bytes)
            {
                server.ReceiveBufferSize = bytes; // before connecting, so the window offered to the server is small too
            }
            client.NoDelay = true;
            var connection = new ProxiedConnection(client, server, stopping.Token);
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                connection.Dispose();
                continue;
            }
            open[connection] = 0;
            Connections++;
            pumps.Add(RunAsync(connection));
        }
    }

    private async Task RunAsync(ProxiedConnection connection)
    {
        try
        {
            await connection.RunAsync(upstream, downstream);
        }
        finally
        {
            open.TryRemove(connection, out _);
            connection.Dispose();
        }
    }
}
