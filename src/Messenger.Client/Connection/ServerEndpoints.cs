using System.Net.Sockets;

namespace Messenger.Client.Connection;

/// <summary>
/// The server's addresses: the one from the command line, then the cluster's other nodes (--servers, or
/// Client:Servers), tried in turn when one cannot be reached. It starts from the last that answered, so a client
/// whose node died goes on to the next node and stays there (its session resumes there; docs/ARCHITECTURE.md).
/// </summary>
public sealed class ServerEndpoints
{
    private readonly List<(string Host, int Port)> endpoints;
    private int current;

    public ServerEndpoints(string host, int port, IEnumerable<string> more)
    {
        endpoints = [(host, port)];
        foreach (var endpoint in more)
        {
            endpoints.Add(Parse(endpoint));
        }
    }

    public IReadOnlyList<(string Host, int Port)> All => endpoints;

    /// <summary>"host:port" or "[v6 address]:port".</summary>
    public static (string Host, int Port) Parse(string endpoint)
    {
        var colon = endpoint.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(endpoint.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)
        {
            throw new FormatException($"'{endpoint}' is not host:port (a port from 1 to 65535).");
        }
        return (endpoint[..colon].Trim('[', ']'), port);
    }

    /// <summary>
    /// The next connect starts from the endpoint after the current one: the current node turned this client away (a
    /// cluster node fenced while it was out of touch), so another node is tried first rather than waiting for it.
    /// </summary>
    public void MoveOn() => current = (current + 1) % endpoints.Count;

    /// <summary>Connects to the first endpoint that answers, starting from the last good one; the last failure is thrown.</summary>
    public async Task<T> ConnectAsync<T>(Func<string, int, Task<T>> connect)
    {
        for (var attempt = 0; ; attempt++)
        {
            var index = (current + attempt) % endpoints.Count;
            var (host, port) = endpoints[index];
            try
            {
                var connected = await connect(host, port);
                current = index;
                return connected;
            }
            catch (SocketException) when (attempt < endpoints.Count - 1)
            {
                // Try the next node.
            }
        }
    }
}
