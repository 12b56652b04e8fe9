using System.Collections.Concurrent;
using System.Net.WebSockets;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Transport;
using Messenger.Server.Connections;
using Messenger.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Web;

/// <summary>
/// /ws: one more transport for the same protocol. Each binary WebSocket message carries frame bytes (the browser
/// sends one frame per message; the server may pack several, or part of one, per message, as TCP would), and the
/// connection is the same <see cref="ClientConnection"/> and <see cref="ConnectionHandler"/> as on TCP, so login,
/// lockout, rate limits, idle timeout and every request are the TCP code itself. A browser always names the page's
/// origin: a WebSocket opened by another site's page is refused before any frame is read.
/// </summary>
public sealed class WebSocketGateway(ServerCore chat, ILoggerFactory loggers, IReadOnlyCollection<string> allowedOrigins)
{
    private readonly ILogger logger = loggers.CreateLogger<WebSocketGateway>();
    private readonly ConcurrentDictionary<ClientConnection, byte> connections = new();

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("WebSocket requests only.");
            return;
        }
        if (!OriginAllowed(context.Request))
        {
            logger.LogWarning("WebSocket from {Address} refused: foreign origin {Origin}", context.Connection.RemoteIpAddress, context.Request.Headers.Origin.ToString());
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await context.Response.WriteAsync("Cross-origin WebSocket refused.");
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        ServerMetrics.WebSocketConnections.Add(1);
        chat.Stats.ConnectionOpened();
        var stream = new WebSocketByteStream(socket);
        var connection = new ClientConnection(stream, ClientConnection.AddressOf(RemoteEndPoint(context)), socket.Abort, socket,
            chat.Options.OutboundQueueBytes, loggers.CreateLogger<ClientConnection>(), chat.Stats);
        connections[connection] = 0;
        try
        {
            using var handler = new ConnectionHandler(chat, connection, loggers.CreateLogger<ConnectionHandler>());
            await connection.RunAsync(handler);
        }
        finally
        {
            connections.TryRemove(connection, out _);
            chat.Stats.ConnectionClosed();
        }
    }

    /// <summary>Tells every WebSocket client the server is stopping, as the TCP host does for its connections.</summary>
    public void CloseAll(bool abort)
    {
        foreach (var connection in connections.Keys)
        {
            if (abort)
            {
                connection.Abort(Reasons.Shutdown);
            }
            else
            {
                connection.Close(Reasons.Shutdown);
            }
        }
    }

    /// <summary>
    /// No Origin: not a browser (a bench or script), which cannot be tricked into using someone's cookies anyway. A
    /// browser's Origin must be this server as the browser reached it, or one the operator listed.
    /// </summary>
    private bool OriginAllowed(HttpRequest request) =>
        request.Headers.Origin.Count == 0 || WebRequestChecks.SameOrigin(request, allowedOrigins);

    private static System.Net.IPEndPoint? RemoteEndPoint(HttpContext context) =>
        context.Connection.RemoteIpAddress is { } address ? new System.Net.IPEndPoint(address, context.Connection.RemotePort) : null;
}
