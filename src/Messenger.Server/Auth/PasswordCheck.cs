using Messenger.Server.Dispatch;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Hosting;
using Messenger.Server.Messaging;
using Messenger.Server.Sessions;
using Messenger.Server.Storage;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Auth;

/// <summary>
/// Decides whether a password login may proceed: the per-(address, name) rate limit, registration of an unknown name
/// (when allowed), the 3-strike lockout (made durable before the answer), and the password itself, hashed off the
/// connection's read loop. Every refusal is answered here; the session is the caller's business.
/// </summary>
public sealed class PasswordCheck(ServerOptions options, ICredentialStore credentials, ILockouts lockouts, ILogger logger,
    LoginRateLimiter limiter)
{
    /// <summary>The per-address ceiling on login attempts of any kind (DESIGN: limits per connection and host).</summary>
    public bool AllowAttempt(string address) => limiter.TryAttempt(address);

    /// <summary>Forgets addresses whose minute is over (called from the sweep).</summary>
    public void Prune() => limiter.Prune();

    /// <summary>True when <paramref name="user"/> may log in with <paramref name="password"/>; otherwise the refusal was sent.</summary>
    public async Task<bool> CheckAsync(IClientLink link, uint requestId, string user, string password)
    {
        if (password.Length > ProtocolLimits.MaxPasswordLength)
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.BadRequest, "That password is too long.", Reasons.BadRequest));
            return false;
        }
        if (!limiter.MayTry(link.RemoteAddress, user))
        {
            link.TrySend(ServerFrames.Response(requestId, StatusCode.TooManyRequests,
                $"Too many failed logins as {user} from your address; wait a minute and try again.", Reasons.RateLimited));
            return false;
        }
        if (!credentials.Contains(user))
        {
            if (!options.AllowRegistration || password.Length == 0 || !credentials.TryRegister(user, password))
            {
                limiter.Failed(link.RemoteAddress, user);
                link.TrySend(ServerFrames.Response(requestId, StatusCode.NotFound, $"Unknown user name '{user}'. Please try again.", Reasons.UnknownUser));
                return false;
            }
            logger.LogInformation("Registered new user {User}", user);
        }
        if (await lockouts.IsLockedAsync(user))
        {
            limiter.Failed(link.RemoteAddress, user);
            return RefuseStillLockedOut(link, requestId);
        }

        // PBKDF2 is deliberately slow: run it off the connection's read loop.
        var correct = await Task.Run(() => credentials.Verify(user, password));
        var outcome = await lockouts.ApplyAsync(user, correct);
        if (outcome != LoginOutcome.Accepted)
        {
            limiter.Failed(link.RemoteAddress, user);
        }
        switch (outcome)
        {
            case LoginOutcome.WrongPassword:
                link.TrySend(ServerFrames.Response(requestId, StatusCode.Unauthorized, "Invalid Password. Please try again.", Reasons.WrongPassword));
                return false;
            case LoginOutcome.LockedOut:
                logger.LogWarning("User {User} locked for {Seconds} s after {Failures} wrong passwords", user, options.BlockDuration.TotalSeconds, LockoutRule.MaxFailures);
                link.TrySend(ServerFrames.Response(requestId, StatusCode.Forbidden,
                    "Invalid Password. Your account has been blocked. Please try again later.", Reasons.LockedOut));
                return false;
            case LoginOutcome.StillLockedOut:
                return RefuseStillLockedOut(link, requestId);
        }
        return outcome == LoginOutcome.Accepted;
    }

    private static bool RefuseStillLockedOut(IClientLink link, uint requestId)
    {
        link.TrySend(ServerFrames.Response(requestId, StatusCode.Forbidden,
            "Your account is blocked due to multiple login failures. Please try again later.", Reasons.StillLockedOut));
        return false;
    }
}
