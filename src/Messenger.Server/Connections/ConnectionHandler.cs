using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Hosting;
using Messenger.Server.Dispatch;
using Messenger.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Connections;

/// <summary>
/// One connection's state machine: before login only <c>Login</c> is taken (with its deadline and attempt limits);
/// after it, <c>Logout</c> ends the session here and every other frame goes to <see cref="FrameDispatcher"/>.
/// Frames are handled one at a time, in order, which is what keeps one sender's messages in order.
/// </summary>
public sealed class ConnectionHandler : IFrameHandler, IDisposable
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly ServerCore chat;
    private readonly IClientLink link;
    private readonly ILogger logger;
    private CancellationTokenSource? loginDeadline;
    private Session? session;
    private int loginAttempts;

    public ConnectionHandler(ServerCore chat, IClientLink link, ILogger logger)
    {
        this.chat = chat;
        this.link = link;
        this.logger = logger;
        // A connection that never logs in must not hold a slot forever; each attempt restarts the clock.
        loginDeadline = new CancellationTokenSource(chat.Options.LoginTimeout, chat.Time);
        loginDeadline.Token.Register(() =>
        {
            if (session is null)
            {
                link.TrySend(ServerFrames.Response(0, StatusCode.Unauthorized, "Login timed out; closing the connection.", Reasons.Timeout));
                link.Close(Reasons.Timeout);
            }
        });
    }

    /// <summary>Frees the login deadline's timer and registration; dropped, not just disposed, so an idle logged-in
    /// connection holds none of it (~300 bytes).</summary>
    public void Dispose()
    {
        loginDeadline?.Dispose(); // Called by the read loop only (at login, at the end): never twice at once.
        loginDeadline = null;
    }

    /// <summary>
    /// 4 KiB before login; after it, a whole frame (a file's manifest for p2pDownload is ~70 bytes a chunk, so a 1 GiB
    /// file's is ~70 KB). Message text has its own, much smaller limit (ProtocolLimits.MaxTextLength).
    /// </summary>
    public int MaxPayloadLength => session is null ? ProtocolLimits.MaxPreLoginPayloadLength : ProtocolLimits.MaxPayloadLength;

    public ValueTask HandleAsync(Frame frame)
    {
        var id = frame.RequestId;
        if (session is null)
        {
            if (frame.Type == FrameType.Login && Parse(frame, Json.LoginRequest, out var login))
            {
                if (++loginAttempts > chat.Options.MaxLoginAttemptsPerConnection)
                {
                    Reply(id, StatusCode.TooManyRequests, "Too many login attempts on this connection.", Reasons.RateLimited);
                    link.Close(Reasons.RateLimited);
                    return ValueTask.CompletedTask;
                }
                if (!chat.Passwords.AllowAttempt(link.RemoteAddress))
                {
                    Reply(id, StatusCode.TooManyRequests, "Too many login attempts from your address; wait a minute and try again.", Reasons.RateLimited);
                    return ValueTask.CompletedTask;
                }
                loginDeadline?.CancelAfter(chat.Options.LoginTimeout);
                return new ValueTask(LoginAsync(id, login));
            }
            if (frame.Type != FrameType.Login)
            {
                Reply(id, StatusCode.Unauthorized, "Log in first.", Reasons.NotLoggedIn);
            }
            return ValueTask.CompletedTask;
        }

        switch (frame.Type)
        {
            case FrameType.Logout:
                var current = session;
                session = null;
                return new ValueTask(chat.Lifecycle.LogoutAsync(current, link, id));
            case FrameType.Login:
                Reply(id, StatusCode.Conflict, "Already logged in on this connection.", Reasons.AlreadyLoggedIn);
                return ValueTask.CompletedTask;
            default:
                return chat.Dispatcher.DispatchAsync(session, link, frame);
        }
    }

    public async Task ClosedAsync()
    {
        Dispose();
        if (session is { } current)
        {
            session = null;
            await chat.Lifecycle.ConnectionLostAsync(current, link);
        }
    }

    private async Task LoginAsync(uint requestId, LoginRequest request)
    {
        session = await chat.Logins.LoginAsync(link, requestId, request);
        if (session is not null)
        {
            // The deadline's timer and registration are no longer needed: free them (an idle connection keeps less).
            Dispose();
        }
    }

    private bool Parse<T>(Frame frame, JsonTypeInfo<T> typeInfo, [NotNullWhen(true)] out T? value)
        where T : class
    {
        if (PayloadReader.TryRead(frame.Payload, typeInfo, out value))
        {
            return true;
        }
        logger.LogDebug("Malformed {Type} payload ({Length} bytes) from {Address}", frame.Type, frame.Payload.Length, link.RemoteAddress);
        Reply(frame.RequestId, StatusCode.BadRequest, $"Malformed {frame.Type} request.", Reasons.BadRequest);
        return false;
    }

    private void Reply(uint requestId, StatusCode status, string message, string reason) =>
        link.TrySend(ServerFrames.Response(requestId, status, message, reason));
}
