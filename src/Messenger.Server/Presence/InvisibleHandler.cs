using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;

namespace Messenger.Server.Presence;

/// <summary>
/// <c>invisible on|off</c>: while on, the user is left out of presence announcements, whoelse, whoelsesince and room
/// members' online marks for everyone else, and still receives everything. It lasts for the session (a resume keeps it).
/// </summary>
public sealed class InvisibleHandler : IRequestRoutes
{
    /// <summary>Cluster mode: the other nodes hear of it (their whoelse leaves the user out); null on a single node.</summary>
    public Action<string, bool>? Changed { get; set; }

    public void Map(FrameDispatcher dispatcher) =>
        dispatcher.On(FrameType.Invisible, ProtocolJsonContext.Default.InvisibleRequest, (context, request) =>
        {
            context.Session.Invisible = request.On;
            Changed?.Invoke(context.Session.User, request.On);
            return ValueTask.FromResult(Reply.Ok(request.On
                ? "You are invisible: others do not see you online (until 'invisible off' or logout)."
                : "You are visible again."));
        });
}
