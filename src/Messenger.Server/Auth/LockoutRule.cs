using Messenger.Server.Storage;

namespace Messenger.Server.Auth;

/// <summary>
/// The 3-strike rule as a pure function, so the in-memory tracker (one node) and the PostgreSQL row lock (a cluster)
/// apply exactly the same rule to a user's record.
/// </summary>
public static class LockoutRule
{
    public const int MaxFailures = 3;

    public static bool IsLocked(LockoutRecord? record, DateTimeOffset now) => record?.LockedUntil is { } until && until > now;

    /// <summary>
    /// The outcome of one password check against the user's current record (null: none), and the record that replaces
    /// it (null: unchanged; 0 failures and no lock: delete it).
    /// </summary>
    public static (LoginOutcome Outcome, LockoutRecord? Changed) Apply(string user, LockoutRecord? record, bool passwordCorrect, DateTimeOffset now, TimeSpan blockDuration)
    {
        if (IsLocked(record, now))
        {
            return (LoginOutcome.StillLockedOut, null);
        }
        if (passwordCorrect)
        {
            return (LoginOutcome.Accepted, record is null ? null : new LockoutRecord(user, 0, null));
        }
        var failures = (record?.LockedUntil is null ? record?.Failures ?? 0 : 0) + 1;
        // The lock itself resets the count: after it expires the user has three fresh tries.
        var updated = failures >= MaxFailures
            ? new LockoutRecord(user, 0, now + blockDuration)
            : new LockoutRecord(user, failures, null);
        return (updated.LockedUntil is null ? LoginOutcome.WrongPassword : LoginOutcome.LockedOut, updated);
    }
}
