using Messenger.Server.Sessions;

namespace Messenger.Server.Private;

/// <summary>
/// Private-session requests waiting for the answer of a user in `privatemode ask`: at most one per (requester, target),
/// each with a timer (from <see cref="TimeProvider"/>) that ends it after the timeout, and a per-requester budget of
/// requests a minute. This class owns every timer it starts: each is disposed when its request is answered, expires,
/// or one of the two users leaves (<see cref="UserLeft"/>), so nothing outlives the sessions involved.
/// Locking: one monitor over the maps; no I/O under it (the expiry callback runs after the entry is removed).
/// </summary>
/// <param name="expired">Called (off the lock) with the requester and the target when a request got no answer in time.</param>
public sealed class ConsentRequests(TimeProvider time, TimeSpan timeout, int requestsPerMinute, Action<PrivateRequester, string> expired)
{
    private readonly Dictionary<(string From, string To), Pending> pending = [];
    private readonly Dictionary<string, TokenBucket> budgets = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public TimeSpan Timeout => timeout;

    /// <summary>Starts waiting for <paramref name="target"/>'s answer, unless this requester already asked or asks too often.</summary>
    public ConsentAsk TryAsk(PrivateRequester requester, string target)
    {
        var key = (requester.User, target);
        lock (gate)
        {
            if (pending.ContainsKey(key))
            {
                return ConsentAsk.AlreadyAsked;
            }
            if (!budgets.TryGetValue(requester.User, out var budget))
            {
                budgets[requester.User] = budget = new TokenBucket(time, requestsPerMinute, TimeSpan.FromMinutes(1));
            }
            if (!budget.TryTake())
            {
                return ConsentAsk.TooMany;
            }
            var entry = new Pending(requester);
            pending[key] = entry;
            entry.Timer = time.CreateTimer(_ => Expire(key, entry), null, timeout, System.Threading.Timeout.InfiniteTimeSpan);
            return ConsentAsk.Asked;
        }
    }

    /// <summary>Ends the request from <paramref name="from"/> to <paramref name="to"/> (answered); its requester, or null when there is none.</summary>
    public PrivateRequester? Take(string from, string to)
    {
        Pending? entry;
        lock (gate)
        {
            pending.Remove((from, to), out entry);
        }
        entry?.Timer?.Dispose();
        return entry?.Requester;
    }

    /// <summary>
    /// Ends every request from or to <paramref name="user"/> (logout, timeout, kick) and forgets its budget. Returns the
    /// requests that ended (requester, target), for both sides to be told.
    /// </summary>
    public List<(PrivateRequester Requester, string Target)> UserLeft(string user)
    {
        var ended = new List<((string From, string To) Key, Pending Entry)>();
        lock (gate)
        {
            foreach (var (key, entry) in pending)
            {
                if (key.From == user || key.To == user)
                {
                    ended.Add((key, entry));
                }
            }
            foreach (var (key, _) in ended)
            {
                pending.Remove(key);
            }
            budgets.Remove(user);
        }
        foreach (var (_, entry) in ended)
        {
            entry.Timer?.Dispose();
        }
        return [.. ended.Select(e => (e.Entry.Requester, e.Key.To))];
    }

    /// <summary>Requests waiting now (for tests and the console).</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return pending.Count;
            }
        }
    }

    private void Expire((string From, string To) key, Pending entry)
    {
        lock (gate)
        {
            // An answer that raced the timer won: only the entry this timer was made for expires.
            if (!pending.TryGetValue(key, out var current) || !ReferenceEquals(current, entry))
            {
                return;
            }
            pending.Remove(key);
        }
        entry.Timer?.Dispose();
        expired(entry.Requester, key.To);
    }

    private sealed class Pending(PrivateRequester requester)
    {
        public PrivateRequester Requester { get; } = requester;

        public ITimer? Timer { get; set; }
    }
}
