using Messenger.Protocol.Contracts;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;

namespace Messenger.Server.Presence;

/// <summary><c>whoelse</c> and <c>whoelsesince</c>: who is online (and who left since), minus whoever blocked the asker.</summary>
public sealed class WhoElseHandler(TimeProvider time, SessionRegistry sessions, BlockList blocks, LastSeenTracker lastSeen)
{
    public void WhoElse(Session requester, IClientLink link, uint requestId, WhoElseRequest request)
    {
        if (request.SinceSeconds is < 0)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.BadRequest, "Usage: whoelsesince <seconds> (a whole number ≥ 0).", Reasons.BadRequest));
            return;
        }
        var names = new SortedSet<string>(sessions.All.Select(s => s.User), StringComparer.Ordinal);
        if (request.SinceSeconds is { } seconds)
        {
            var since = time.GetUtcNow() - TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds / 2));
            names.UnionWith(lastSeen.LoggedOutSince(since));
        }
        names.Remove(requester.User);
        names.RemoveWhere(name => blocks.IsBlocked(name, requester.User));
        link.TrySend(ServerFrames.UserList(requestId, [.. names]));
    }
}
