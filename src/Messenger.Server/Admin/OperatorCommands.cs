using Messenger.Server.Dispatch;
using Messenger.Protocol.Contracts;
using Messenger.Server.Auth;
using Messenger.Server.Messaging;
using Messenger.Server.Presence;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Admin;

/// <summary>What the operator's console can do to users: kick, notice, a message from "server", the shutdown.</summary>
public sealed class OperatorCommands(TimeProvider time, ICredentialStore credentials, SessionRegistry sessions, PresenceAnnouncer presence,
    SessionLifecycle lifecycle, MessageRouter router, SendHandler sending)
{
    public async Task<bool> KickAsync(string user)
    {
        if (sessions.Find(user) is not { } session)
        {
            return false;
        }
        await lifecycle.EndSessionAsync(session, Reasons.Kicked, "You have been disconnected by the server operator.");
        return true;
    }

    public async Task ShutdownAsync()
    {
        foreach (var session in sessions.All.ToList())
        {
            await lifecycle.EndSessionAsync(session, Reasons.Shutdown, "The server is shutting down.");
        }
        presence.Dispose();
    }

    /// <summary>Text from the operator to every online user.</summary>
    public int NoticeAll(string text)
    {
        var frame = ServerFrames.Notice(text);
        var sent = 0;
        foreach (var session in sessions.All)
        {
            if (session.Link?.TrySend(frame) == true)
            {
                sent++;
            }
        }
        return sent;
    }

    /// <summary>A message from the server operator to one user: stored if the user is offline, like any message.</summary>
    public async Task<bool> SendAsServerAsync(string user, string text)
    {
        if (!credentials.Contains(user))
        {
            return false;
        }
        var message = new StoredMessage(0, "server", user, sending.NextServerMessageId(), text, time.GetUtcNow());
        await router.RouteAsync(message, isBroadcast: false, waiter: null);
        return true;
    }
}
