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
    public const int MaxFailures = LockoutRule.MaxFailures;

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
            var (outcome, changed) = LockoutRule.Apply(user, record, passwordCorrect, now, blockDuration);
            if (changed is { Failures: 0, LockedUntil: null })
            {
                records.Remove(user);
            }
            else if (changed is not null)
            {
                records[user] = changed;
            }
            if (outcome == LoginOutcome.LockedOut)
            {
                Hosting.ServerMetrics.Lockouts.Add(1);
            }
            return (outcome, changed);
        }
    }

    private static bool IsLocked(LockoutRecord record, DateTimeOffset now) => LockoutRule.IsLocked(record, now);
}
