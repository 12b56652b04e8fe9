using System.Collections.Concurrent;
using Messenger.Server.Sessions;

namespace Messenger.Server.Auth;

/// <summary>
/// Limits login attempts so that guessing is slow without one guesser locking out everyone behind the same address
/// (a NAT, an office). Two limits, a token bucket each:
/// <list type="bullet">
/// <item>failed attempts per (address, user name): a guesser aiming at one name is slowed (and the name itself is
/// locked after three wrong passwords by <see cref="LockoutTracker"/>), while other users at that address still get in;</item>
/// <item>a much higher ceiling on every attempt per address, which bounds the password-hashing work one host can cause.</item>
/// </list>
/// Buckets that are full again are dropped by <see cref="Prune"/> on the sweep timer.
/// </summary>
public sealed class LoginRateLimiter(TimeProvider time, int attemptsPerAddressPerMinute, int failuresPerAddressAndUserPerMinute)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Bucket> addresses = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Address, string User), Bucket> failures = new();

    /// <summary>Takes one attempt from the address's ceiling; false when the address is over it.</summary>
    public bool TryAttempt(string address) =>
        Take(addresses.GetOrAdd(address, _ => new Bucket(new TokenBucket(time, attemptsPerAddressPerMinute, Window))));

    /// <summary>False when this address failed too often for this user name lately (checked before the password is).</summary>
    public bool MayTry(string address, string user)
    {
        if (!failures.TryGetValue((address, user), out var entry))
        {
            return true;
        }
        lock (entry)
        {
            return entry.Tokens.HasToken();
        }
    }

    /// <summary>A failed attempt (wrong password, locked name, unknown name) from this address for this name.</summary>
    public void Failed(string address, string user) =>
        Take(failures.GetOrAdd((address, user), _ => new Bucket(new TokenBucket(time, failuresPerAddressAndUserPerMinute, Window))));

    /// <summary>Forgets buckets idle for over a minute (they would be full again anyway).</summary>
    public void Prune()
    {
        var now = time.GetTimestamp();
        Prune(addresses, now);
        Prune(failures, now);
    }

    private void Prune<TKey>(ConcurrentDictionary<TKey, Bucket> buckets, long now)
        where TKey : notnull
    {
        foreach (var (key, entry) in buckets)
        {
            if (time.GetElapsedTime(Volatile.Read(ref entry.LastUse), now) > Window)
            {
                buckets.TryRemove(key, out _);
            }
        }
    }

    private bool Take(Bucket entry)
    {
        lock (entry)
        {
            entry.LastUse = time.GetTimestamp();
            return entry.Tokens.TryTake();
        }
    }

    private sealed class Bucket(TokenBucket tokens)
    {
        public long LastUse;

        public TokenBucket Tokens { get; } = tokens;
    }
}
