using System.Data.Common;
using Messenger.Server.Dispatch;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Guests;
using Messenger.Server.Hosting;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Auth;

/// <summary>
/// Decides whether a password login may proceed: the per-(address, name) rate limit, registration of an unknown name
/// (only when the user asked and the server allows it), the 3-strike lockout (made durable before the answer), and the password itself, hashed off the
/// connection's read loop. Every refusal is answered here; the session is the caller's business.
/// </summary>
public sealed class PasswordCheck(ServerOptions options, ICredentialStore credentials, ILockouts lockouts, ILogger logger,
    LoginRateLimiter limiter)
{
    /// <summary>The per-address ceiling on login attempts of any kind (DESIGN: limits per connection and host).</summary>
    public bool AllowAttempt(string address) => limiter.TryAttempt(address);

    /// <summary>Forgets addresses whose minute is over (called from the sweep).</summary>
    public void Prune() => limiter.Prune();

    /// <summary>
    /// Accepted or <see cref="LoginOutcome.Registered"/> when <paramref name="user"/> may log in with
    /// <paramref name="password"/>; any other outcome means the refusal was sent. An unknown name becomes an account
    /// only when <paramref name="register"/> asks for it and the server allows sign-up.
    /// </summary>
    public async Task<LoginOutcome> CheckAsync(IClientLink link, uint requestId, string user, string password, bool register)
    {
        if (password.Length > ProtocolLimits.MaxPasswordLength)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.BadRequest, "That password is too long.", Reasons.BadRequest));
            return LoginOutcome.Refused;
        }
        if (!limiter.MayTry(link.RemoteAddress, user))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.TooManyRequests,
                $"Too many failed logins as {user} from your address; wait a minute and try again.", Reasons.RateLimited));
            return LoginOutcome.Refused;
        }
        var registered = false;
        if (!credentials.Contains(user))
        {
            if (RefuseUnknown(requestId, user, password, register) is { } refusal)
            {
                limiter.Failed(link.RemoteAddress, user);
                link.TrySend(refusal);
                return LoginOutcome.Refused;
            }
            // False only when another login registered the name just now: then the password decides, as for any account.
            registered = credentials.TryRegister(user, password);
            if (registered)
            {
                logger.LogInformation("Registered new user {User}", user);
            }
        }
        LoginOutcome outcome;
        try
        {
            if (await lockouts.IsLockedAsync(user))
            {
                limiter.Failed(link.RemoteAddress, user);
                RefuseStillLockedOut(link, requestId);
                return LoginOutcome.StillLockedOut;
            }
            // PBKDF2 is deliberately slow: run it off the connection's read loop.
            var correct = await Task.Run(() => credentials.Verify(user, password));
            outcome = await lockouts.ApplyAsync(user, correct);
        }
        catch (DbException ex)
        {
            // The lockout lives in the store (a cluster's PostgreSQL): without it no verdict is sure, so none is given.
            logger.LogError(ex, "Could not read or record the lockout of {User}; the login was refused", user);
            link.TrySend(ServerFrames.Response(requestId, StatusCode.ServerError, "The server could not check your login; try again.", Reasons.ServerError));
            return LoginOutcome.Refused;
        }
        if (outcome != LoginOutcome.Accepted)
        {
            limiter.Failed(link.RemoteAddress, user);
        }
        switch (outcome)
        {
            case LoginOutcome.WrongPassword:
                link.TrySend(ServerFrames.Response(requestId, StatusCode.Unauthorized, "Invalid Password. Please try again.", Reasons.WrongPassword));
                break;
            case LoginOutcome.LockedOut:
                logger.LogWarning("User {User} locked for {Seconds} s after {Failures} wrong passwords", user, options.BlockDuration.TotalSeconds, LockoutRule.MaxFailures);
                link.TrySend(ServerFrames.Response(requestId, StatusCode.Forbidden,
                    "Invalid Password. Your account has been blocked. Please try again later.", Reasons.LockedOut));
                break;
            case LoginOutcome.StillLockedOut:
                RefuseStillLockedOut(link, requestId);
                break;
        }
        return outcome == LoginOutcome.Accepted && registered ? LoginOutcome.Registered : outcome;
    }

    /// <summary>Why an unknown name does not become an account now (null: it may). Sign-up is never a side effect of a typo.</summary>
    private byte[]? RefuseUnknown(uint requestId, string user, string password, bool register)
    {
        if (!options.AllowRegistration)
        {
            return ServerFrames.Response(requestId, StatusCode.NotFound, register
                ? $"Unknown user name '{user}'. This server does not allow sign-up; ask its operator for an account."
                : $"Unknown user name '{user}'. Please try again.", register ? Reasons.RegistrationClosed : Reasons.UnknownUser);
        }
        if (!register)
        {
            // The client offers to create it (terminal) or names --register (pipe); nothing is created without that.
            return ServerFrames.Response(requestId, StatusCode.NotFound, $"No account '{user}'.", Reasons.NoAccount);
        }
        if (GuestNames.IsReserved(user))
        {
            return ServerFrames.Response(requestId, StatusCode.BadRequest, $"'{user}' is reserved for guests; choose another name.", Reasons.NameTaken);
        }
        return password.Length == 0
            ? ServerFrames.Response(requestId, StatusCode.BadRequest, "Choose a password that is not empty.", Reasons.BadRequest)
            : null;
    }

    private static void RefuseStillLockedOut(IClientLink link, uint requestId) =>
        link.TrySend(ServerFrames.Response(requestId, StatusCode.Forbidden,
            "Your account is blocked due to multiple login failures. Please try again later.", Reasons.StillLockedOut));
}
