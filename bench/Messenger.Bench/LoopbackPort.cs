using System.Net;
using System.Net.Sockets;

namespace Messenger.Bench;

/// <summary>A TCP port free on 127.0.0.1 right now, for a server the bench starts (which takes a port number, not 0).</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
