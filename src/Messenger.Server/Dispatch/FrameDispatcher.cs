using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Sessions;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Dispatch;

/// <summary>
/// Frame type → handler, for a logged-in session. Each feature maps its own frames (<see cref="IRequestRoutes"/>);
/// the dispatcher parses the payload (a malformed one is answered 400 and the connection stays), counts the request
/// as activity for the idle timeout where it is one, runs the handler and sends its <see cref="Reply"/> with the
/// request's id. A table indexed by the type byte: one array read per frame on the hot path.
/// </summary>
public sealed class FrameDispatcher(TimeProvider time, ILogger logger)
{
    private readonly Route?[] routes = new Route?[256];

    /// <summary>Maps a request with a JSON payload. <paramref name="activity"/>: it counts as the user doing something.</summary>
    public void On<T>(FrameType type, JsonTypeInfo<T> payload, Func<RequestContext, T, ValueTask<Reply>> handle, bool activity = true)
        where T : class => On(type, (in ReadOnlySequence<byte> bytes, [NotNullWhen(true)] out T? value) => PayloadReader.TryRead(bytes, payload, out value), handle, activity);

    /// <summary>Maps a request read by a parser of its own (the hot payloads: <see cref="HotPayloads"/>).</summary>
    public void On<T>(FrameType type, PayloadParser<T> parse, Func<RequestContext, T, ValueTask<Reply>> handle, bool activity = true)
        where T : class => Add(type, new ParsedRoute<T>(parse, handle, activity));

    /// <summary>Maps a request whose payload is ignored.</summary>
    public void On(FrameType type, Func<RequestContext, ValueTask<Reply>> handle, bool activity = true) =>
        Add(type, new BareRoute(handle, activity));

    /// <summary>Handles one frame of a logged-in session. The payload is parsed before the first await.</summary>
    public ValueTask DispatchAsync(Session session, IClientLink link, Frame frame)
    {
        if (routes[(byte)frame.Type] is not { } route)
        {
            Send(new RequestContext(session, link, frame.RequestId), FrameTypes.IsKnown((byte)frame.Type)
                ? Reply.Refuse(StatusCode.BadRequest, $"A {frame.Type} frame is not a request this server takes.", Reasons.BadRequest)
                : Reply.Refuse(StatusCode.BadRequest,
                    $"This server does not support frame type 0x{(byte)frame.Type:X2} (a newer client?); the connection stays open.", Reasons.Unsupported));
            return ValueTask.CompletedTask;
        }
        DateTimeOffset? now = null;
        if (route.Activity)
        {
            session.LastActivity = (now = time.GetUtcNow()).Value;
        }
        var context = new RequestContext(session, link, frame.RequestId, now);
        if (!route.TryStart(context, frame.Payload, out var pending))
        {
            logger.LogDebug("Malformed {Type} payload ({Length} bytes) from {Address}", frame.Type, frame.Payload.Length, link.RemoteAddress);
            Send(context, Reply.Refuse(StatusCode.BadRequest, $"Malformed {frame.Type} request.", Reasons.BadRequest));
            return ValueTask.CompletedTask;
        }
        // Most handlers answer at once: the await then completes without suspending, so nothing is allocated.
        return SendWhenDoneAsync(context, pending);
    }

    /// <summary>Sends a reply that a handler worked out later (<see cref="Reply.Later"/>), with the request's id.</summary>
    public static void Send(RequestContext context, Reply reply)
    {
        if (reply.Encode(context.RequestId) is { } frame)
        {
            context.Link.TrySend(frame);
        }
    }

    private static async ValueTask SendWhenDoneAsync(RequestContext context, ValueTask<Reply> pending) => Send(context, await pending);

    private void Add(FrameType type, Route route)
    {
        if (routes[(byte)type] is not null)
        {
            throw new InvalidOperationException($"{type} is mapped twice.");
        }
        routes[(byte)type] = route;
    }

    private abstract class Route(bool activity)
    {
        public bool Activity { get; } = activity;

        /// <summary>False when the payload does not parse (nothing started).</summary>
        public abstract bool TryStart(RequestContext context, ReadOnlySequence<byte> payload, out ValueTask<Reply> pending);
    }

    private sealed class ParsedRoute<T>(PayloadParser<T> parse, Func<RequestContext, T, ValueTask<Reply>> handle, bool activity) : Route(activity)
        where T : class
    {
        public override bool TryStart(RequestContext context, ReadOnlySequence<byte> payload, out ValueTask<Reply> pending)
        {
            if (!parse(payload, out var request))
            {
                pending = default;
                return false;
            }
            pending = handle(context, request);
            return true;
        }
    }

    private sealed class BareRoute(Func<RequestContext, ValueTask<Reply>> handle, bool activity) : Route(activity)
    {
        public override bool TryStart(RequestContext context, ReadOnlySequence<byte> payload, out ValueTask<Reply> pending)
        {
            pending = handle(context);
            return true;
        }
    }
}
