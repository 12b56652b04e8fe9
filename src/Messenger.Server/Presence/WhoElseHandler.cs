using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Dispatch;

namespace Messenger.Server.Presence;

/// <summary><c>whoelse</c> and <c>whoelsesince</c>: who is online (and who left since), minus whoever blocked the asker
/// and whoever is invisible.</summary>
public sealed class WhoElseHandler(TimeProvider time, Sessions.SessionRegistry sessions, BlockList blocks, LastSeenTracker lastSeen) : IRequestRoutes
{
    /// <summary>Cluster mode: the users online on other nodes (set once at start); null on a single node.</summary>
    public Func<IEnumerable<string>>? RemoteUsers { get; set; }

    public void Map(FrameDispatcher dispatcher) =>
        dispatcher.On(FrameType.WhoElse, ProtocolJsonContext.Default.WhoElseRequest, (context, request) => ValueTask.FromResult(WhoElse(context, request)));

    private Reply WhoElse(RequestContext context, WhoElseRequest request)
    {
        if (request.SinceSeconds is < 0)
        {
            return Reply.Refuse(StatusCode.BadRequest, "Usage: whoelsesince <seconds> (a whole number ≥ 0).", Reasons.BadRequest);
        }
        var names = new SortedSet<string>(sessions.All.Select(s => s.User), StringComparer.Ordinal);
        if (RemoteUsers is { } remote)
        {
            names.UnionWith(remote());
        }
        if (request.SinceSeconds is { } seconds)
        {
            var since = time.GetUtcNow() - TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds / 2));
            names.UnionWith(lastSeen.LoggedOutSince(since));
        }
        var requester = context.Session.User;
        names.Remove(requester);
        names.RemoveWhere(name => sessions.Find(name)?.Invisible == true); // Invisible users are left out (issue 14).
        names.RemoveWhere(name => blocks.IsBlocked(name, requester));
        return Reply.Frame(FrameType.UserList, new UserList([.. names]), ProtocolJsonContext.Default.UserList);
    }
}
