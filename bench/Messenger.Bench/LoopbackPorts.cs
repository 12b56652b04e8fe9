using System.Net;
using System.Net.Sockets;

namespace Messenger.Bench;

/// <summary>
/// Ports for the processes a run starts: any free one, or from the range BENCH_PORTS ("first-last", default 18301-18399; a shared
/// machine gives each engineer a range), taken in turn and checked free.
/// </summary>
public static class LoopbackPorts
{
    private static readonly (int First, int Last) Range = Parse(Environment.GetEnvironmentVariable("BENCH_PORTS") ?? "18301-18399");
    private static int next = Range.First + Environment.ProcessId % (Range.Last - Range.First + 1);

    /// <summary>A port free on 127.0.0.1 right now, chosen by the system, for a server that takes a number rather than 0.</summary>
    public static int Free()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    /// <summary>The next free port of the range (a cluster's nodes and Redis, which the run names in advance).</summary>
    public static int Next()
    {
        for (var tries = 0; tries <= Range.Last - Range.First; tries++)
        {
            var port = next;
            next = port == Range.Last ? Range.First : port + 1;
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: the next one.
            }
        }
        throw new InvalidOperationException($"no free port in {Range.First}-{Range.Last}");
    }

    private static (int, int) Parse(string text)
    {
        var parts = text.Split('-');
        return (int.Parse(parts[0]), int.Parse(parts[1]));
    }
}
