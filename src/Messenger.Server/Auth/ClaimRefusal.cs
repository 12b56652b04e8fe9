using Messenger.Protocol.Contracts;
using Messenger.Server.Cluster;
using Messenger.Server.Dispatch;

namespace Messenger.Server.Auth;

/// <summary>The answer to a login or resume whose session claim the cluster did not grant.</summary>
public static class ClaimRefusal
{
    /// <summary>The refusal frame for <paramref name="claim"/>, or null when the claim lets the login go on.</summary>
    public static byte[]? Frame(ClaimResult claim, uint requestId, string user) => claim switch
    {
        ClaimResult.Refused => ServerFrames.Response(requestId, StatusCode.Conflict, $"{user} is already logged in elsewhere.", Reasons.AlreadyLoggedIn),
        ClaimResult.Unavailable => ServerFrames.Response(requestId, StatusCode.ServerError,
            "The server holding your session did not answer; try again in a few seconds.", Reasons.ServerError),
        ClaimResult.BadToken => ServerFrames.Response(requestId, StatusCode.Unauthorized, "That session has ended; log in again.", Reasons.BadResumeToken),
        ClaimResult.StoreFailed => ServerFrames.Response(requestId, StatusCode.ServerError, "The server could not check your session; try again.", Reasons.ServerError),
        _ => null,
    };
}
