using System.Collections.Concurrent;
using Messenger.Server.Sessions;

namespace Messenger.Server.Auth;

/// <summary>
/// Limits login attempts per source address (a token bucket each), so one host cannot guess passwords for many user
/// names quickly. Buckets of addresses that are quiet again are dropped by <see cref="Prune"/> on the sweep timer.
/// </summary>
public sealed class LoginRateLimiter(TimeProvider time, int attemptsPerMinute)
{
    private readonly ConcurrentDictionary<string, AddressBucket> buckets = new(StringComparer.Ordinal);

    public bool TryAttempt(string address)
    {
        var entry = buckets.GetOrAdd(address, _ => new AddressBucket(new TokenBucket(time, attemptsPerMinute, TimeSpan.FromMinutes(1))));
        lock (entry)
        {
            entry.LastUse = time.GetTimestamp();
            return entry.Bucket.TryTake();
        }
    }

    /// <summary>Forgets addresses idle for over a minute (their bucket would be full again anyway).</summary>
    public void Prune()
    {
        var now = time.GetTimestamp();
        foreach (var (address, entry) in buckets)
        {
            if (time.GetElapsedTime(Volatile.Read(ref entry.LastUse), now) > TimeSpan.FromMinutes(1))
            {
                buckets.TryRemove(address, out _);
            }
        }
    }

    private sealed class AddressBucket(TokenBucket bucket)
    {
        public long LastUse;

        public TokenBucket Bucket { get; } = bucket;
    }
}
