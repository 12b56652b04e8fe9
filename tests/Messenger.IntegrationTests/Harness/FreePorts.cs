using System.Net;
using System.Net.Sockets;

namespace Messenger.IntegrationTests.Harness;

/// <summary>A loopback port free right now, for servers started as separate processes (which take a port number).</summary>
public static class FreePorts
{
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
