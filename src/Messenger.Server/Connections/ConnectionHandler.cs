using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Hosting;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Connections;

/// <summary>
/// Turns one connection's frames into calls on <see cref="ServerCore"/>: parses each payload, enforces "log in
/// first", and answers frames that are well-formed but wrong (bad JSON, wrong direction) without closing.
/// Frames are handled one at a time, in order, which is what keeps one sender's messages in order.
/// </summary>
public sealed class ConnectionHandler : IFrameHandler, IDisposable
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly ServerCore chat;
    private readonly IClientLink link;
    private readonly ILogger logger;
    private readonly CancellationTokenSource loginDeadline;
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

    public void Dispose() => loginDeadline.Dispose();

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
                loginDeadline.CancelAfter(chat.Options.LoginTimeout);
                return new ValueTask(LoginAsync(id, login));
            }
            if (frame.Type != FrameType.Login)
            {
                Reply(id, StatusCode.Unauthorized, "Log in first.", Reasons.NotLoggedIn);
            }
            return ValueTask.CompletedTask;
        }

        var current = session;
        switch (frame.Type)
        {
            case FrameType.SendMessage when Parse(frame, Json.SendMessageRequest, out var send):
                return new ValueTask(chat.Sending.SendAsync(current, link, id, send));
            case FrameType.Broadcast when Parse(frame, Json.BroadcastRequest, out var broadcast):
                return new ValueTask(chat.Sending.BroadcastAsync(current, link, id, broadcast));
            case FrameType.Ack when Parse(frame, Json.AckMessages, out var ack):
                return new ValueTask(chat.Acks.AcknowledgeAsync(current, ack.DeliveryIds));
            case FrameType.WhoElse when Parse(frame, Json.WhoElseRequest, out var who):
                chat.Lifecycle.Touch(current);
                chat.Who.WhoElse(current, link, id, who);
                break;
            case FrameType.Block when Parse(frame, Json.BlockRequest, out var block):
                chat.Lifecycle.Touch(current);
                return new ValueTask(chat.Blocking.BlockAsync(current, link, id, block.User));
            case FrameType.Unblock when Parse(frame, Json.UnblockRequest, out var unblock):
                chat.Lifecycle.Touch(current);
                return new ValueTask(chat.Blocking.UnblockAsync(current, link, id, unblock.User));
            case FrameType.Logout:
                session = null;
                return new ValueTask(chat.Lifecycle.LogoutAsync(current, link, id));
            case FrameType.Ping:
                link.TrySend(ServerFrames.Ok(id, "pong"));
                break;
            case FrameType.StartPrivate when Parse(frame, Json.StartPrivateRequest, out var start):
                chat.Lifecycle.Touch(current);
                chat.PrivateSessions.Start(current, link, id, start.User);
                break;
            case FrameType.FindFile when Parse(frame, Json.FindFileRequest, out var find):
                // Waiting for holders' answers must not hold up this user's other commands: answered when ready.
                chat.Lifecycle.Touch(current);
                _ = DetachedAsync(chat.Swarm.FindFileAsync(current, link, id, find));
                break;
            case FrameType.HolderAnswer when Parse(frame, Json.HolderAnswer, out var answer):
                chat.Swarm.AnswerHolderQuery(current, answer);
                break;
            case FrameType.RegisterChunks when Parse(frame, Json.RegisterChunks, out var register):
                chat.Swarm.RegisterChunks(current, link, id, register);
                break;
            case FrameType.ReportBadChunk when Parse(frame, Json.ReportBadChunk, out var report):
                chat.Swarm.ReportBadChunk(current, link, id, report);
                break;
            case FrameType.Activity:
                chat.Lifecycle.Touch(current);
                link.TrySend(ServerFrames.Ok(id, "noted"));
                break;
            case FrameType.Login:
                Reply(id, StatusCode.Conflict, "Already logged in on this connection.", Reasons.AlreadyLoggedIn);
                break;
            case FrameType.SendMessage or FrameType.Broadcast or FrameType.Ack or FrameType.WhoElse or FrameType.Block or FrameType.Unblock or FrameType.StartPrivate
                or FrameType.FindFile or FrameType.HolderAnswer or FrameType.RegisterChunks or FrameType.ReportBadChunk:
                break; // Parse already answered.
            default:
                Reply(id, StatusCode.BadRequest, $"A {frame.Type} frame is not a request this server takes.", Reasons.BadRequest);
                break;
        }
        return ValueTask.CompletedTask;
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

    private async Task DetachedAsync(Task work)
    {
        try
        {
            await work;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "A detached request from {Address} failed", link.RemoteAddress);
        }
    }

    private async Task LoginAsync(uint requestId, LoginRequest request)
    {
        session = await chat.Logins.LoginAsync(link, requestId, request);
        if (session is not null)
        {
            // The deadline's timer and registration are no longer needed: free them (an idle connection keeps less).
            loginDeadline.Dispose();
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
