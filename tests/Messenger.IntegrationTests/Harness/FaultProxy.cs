using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Messenger.IntegrationTests.Harness;

/// <summary>
/// A TCP proxy on loopback between clients and the server that a test can break the way networks break: <see
/// cref="CutAll"/> resets every connection through it at once (both ends see the link die), <see
/// cref="BlackholeAll"/> silently drops everything on the connections open now (TCP stays up on both sides, as when a
/// NAT forgets a mapping or a laptop sleeps), while the server and the clients keep running. New connections are forwarded as before, so clients
/// can reconnect through it. Every task it starts is owned and awaited at dispose.
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    private readonly Socket listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly int targetPort;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<Socket, byte> open = new();
    private readonly ConcurrentDictionary<Socket, byte> blackholed = new();
    private readonly ConcurrentBag<Task> pumps = [];
    private readonly Task accepting;

    private FaultProxy(int targetPort)
    {
        this.targetPort = targetPort;
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(64);
        accepting = AcceptLoopAsync();
    }

    public int Port => ((IPEndPoint)listener.LocalEndPoint!).Port;

    /// <summary>How many connections have been cut so far.</summary>
    public int Cuts { get; private set; }

    public static FaultProxy Start(int targetPort) => new(targetPort);

    /// <summary>Resets every connection through the proxy now (RST, no goodbye on either side).</summary>
    public void CutAll()
    {
        foreach (var socket in open.Keys)
        {
            Reset(socket);
        }
        Cuts++;
    }

    /// <summary>From now on, bytes on the connections open now are read and dropped, in both directions.</summary>
    public void BlackholeAll()
    {
        foreach (var socket in open.Keys)
        {
            blackholed[socket] = 0;
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
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                Reset(client);
                server.Dispose();
                continue;
            }
            open[client] = 0;
            open[server] = 0;
            pumps.Add(PumpAsync(client, server));
            pumps.Add(PumpAsync(server, client));
        }
    }

    /// <summary>Copies one direction until either side ends; then both are reset, as a broken path would leave them.</summary>
    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, stopping.Token);
                if (read == 0)
                {
                    break;
                }
                if (!blackholed.ContainsKey(from))
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stopping.Token);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Cut, or the other side went away.
        }
        Reset(from);
        Reset(to);
    }

    private void Reset(Socket socket)
    {
        if (open.TryRemove(socket, out _))
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0); // Close with RST, not FIN.
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Already gone.
            }
            socket.Dispose();
        }
    }
}
