using System.Net;
using System.Net.Sockets;

namespace Messenger.Server.Tests.Connections;

/// <summary>Two connected TCP sockets on 127.0.0.1: the server's side and the client's.</summary>
internal sealed class LoopbackPair : IDisposable
{
    private LoopbackPair(Socket server, Socket client)
    {
        Server = server;
        Client = client;
    }

    public Socket Server { get; }

    public Socket Client { get; }

    public static async Task<LoopbackPair> ConnectAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accepting = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        return new LoopbackPair(await accepting, client);
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
    }
}
