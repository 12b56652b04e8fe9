using Messenger.Server.Storage;

namespace Messenger.Server.Auth;

/// <summary>
/// Counts wrong passwords per user name and locks the name after <see cref="MaxFailures"/> in a row, for every
/// connection at once. The password is checked outside the lock (hashing is slow); only the verdict is applied
/// under it, so any number of concurrent guesses still gets exactly three counted tries.
/// Locking: one monitor over the dictionary; each operation is a few field updates.
/// </summary>
public sealed class LockoutTracker
{
    public const int MaxFailures = 3;

    private readonly Dictionary<string, LockoutRecord> records = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly TimeProvider time;
    private readonly TimeSpan blockDuration;

    public LockoutTracker(TimeProvider time, TimeSpan blockDuration, IEnumerable<LockoutRecord> persisted)
    {
        this.time = time;
        this.blockDuration = blockDuration;
        foreach (var record in persisted)
        {
            records[record.User] = record;
        }
    }

    public bool IsLocked(string user)
    {
        lock (gate)
        {
            return records.TryGetValue(user, out var record) && IsLocked(record, time.GetUtcNow());
        }
    }

    /// <summary>Applies the result of one password check. Returns the outcome and the record to persist (null: nothing changed).</summary>
    public (LoginOutcome Outcome, LockoutRecord? Changed) Apply(string user, bool passwordCorrect)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            records.TryGetValue(user, out var record);
            if (record is not null && IsLocked(record, now))
            {
                return (LoginOutcome.StillLockedOut, null);
            }
            if (passwordCorrect)
            {
                if (record is null)
                {
                    return (LoginOutcome.Accepted, null);
                }
                records.Remove(user);
                return (LoginOutcome.Accepted, new LockoutRecord(user, 0, null));
            }

            var failures = (record?.LockedUntil is null ? record?.Failures ?? 0 : 0) + 1;
            // The lock itself resets the count: after it expires the user has three fresh tries.
            var updated = failures >= MaxFailures
                ? new LockoutRecord(user, 0, now + blockDuration)
                : new LockoutRecord(user, failures, null);
            records[user] = updated;
            if (updated.LockedUntil is not null)
            {
                Hosting.ServerMetrics.Lockouts.Add(1);
            }
            return (updated.LockedUntil is null ? LoginOutcome.WrongPassword : LoginOutcome.LockedOut, updated);
        }
    }

    private static bool IsLocked(LockoutRecord record, DateTimeOffset now) => record.LockedUntil is { } until && until > now;
}
