using System.Data.Common;
using Messenger.Protocol.Contracts;
using Messenger.Server.Auth;
using Messenger.Server.Hosting;
using Messenger.Server.Dispatch;
using Messenger.Server.Sessions;

namespace Messenger.Server.Guests;

/// <summary>
/// Admits guests (`AllowGuests`): a fresh `guest-&lt;n&gt;` session whose limits count per address, since a guest has
/// no name of its own: logins through the per-(address, "guest") bucket of <see cref="LoginRateLimiter"/>, messages
/// through one bucket per address (<see cref="GuestAddressLimits"/>).
/// </summary>
public sealed class GuestLogin(ServerOptions options, TimeProvider time, GuestNames names, GuestAddressLimits limits, LoginRateLimiter limiter)
{
    public bool IsGuestLogin(LoginRequest request) => request.ResumeToken is null && !request.Register && names.IsGuestLogin(request.Username, request.Password);

    /// <summary>A new guest session (not yet registered anywhere), or null when refused (the refusal was sent).</summary>
    public async Task<Session?> TryCreateAsync(IClientLink link, uint requestId, string resumeToken)
    {
        var address = link.RemoteAddress;
        if (!options.AllowGuests)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.Forbidden, "This server does not let guests in; log in with an account.", Reasons.GuestsClosed));
            return null;
        }
        if (!limiter.MayTry(address, GuestNames.LoginName))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.TooManyRequests,
                "Too many guest logins from your address; wait a minute and try again.", Reasons.RateLimited));
            return null;
        }
        // Every guest login counts like a failed one: at most FailedLoginsPerAddressAndUserPerMinute new guests a minute per address.
        limiter.Failed(address, GuestNames.LoginName);
        string name;
        try
        {
            name = await names.NextAsync();
        }
        catch (DbException)
        {
            // A cluster's numbers are in PostgreSQL: without one there is no name that is surely nobody else's.
            link.TrySend(ServerFrames.Response(requestId, StatusCode.ServerError, "The server could not name a guest now; try again.", Reasons.ServerError));
            return null;
        }
        return new Session(name, resumeToken, link, time.GetUtcNow(), limits.Join(address)) { GuestAddress = address };
    }

    /// <summary>
    /// A guest's session moving here from another node of a cluster (its client resumed with the token the claim
    /// holds): a guest again, limited with this link's address. Null when <paramref name="user"/> is no guest's name.
    /// </summary>
    public Session? Resumed(IClientLink link, string user, string resumeToken) =>
        names.IsGuest(user) ? new Session(user, resumeToken, link, time.GetUtcNow(), limits.Join(link.RemoteAddress)) { GuestAddress = link.RemoteAddress } : null;

    /// <summary>The guest's session is over: its address's message bucket loses a user.</summary>
    public void Left(Session session)
    {
        if (session.GuestAddress is { } address)
        {
            limits.Leave(address);
        }
    }
}
