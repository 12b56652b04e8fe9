using Messenger.Server.Sessions;

namespace Messenger.Server.Guests;

/// <summary>
/// Guests have no name of their own to count against, so their message rate is counted per address: every guest
/// session from one address takes from one bucket (a user cannot multiply the limit by logging in as more guests).
/// A bucket lives while a guest from its address is logged in.
/// Locking: one monitor over the map; the buckets lock themselves.
/// </summary>
public sealed class GuestAddressLimits(TimeProvider time, int messagesPerSecond)
{
    private readonly Dictionary<string, (TokenBucket Bucket, int Sessions)> byAddress = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>The bucket a new guest from <paramref name="address"/> sends from; pair with <see cref="Leave"/>.</summary>
    public TokenBucket Join(string address)
    {
        lock (gate)
        {
            var entry = byAddress.TryGetValue(address, out var found) ? found : (new TokenBucket(time, messagesPerSecond), 0);
            byAddress[address] = (entry.Item1, entry.Item2 + 1);
            return entry.Item1;
        }
    }

    public void Leave(string address)
    {
        lock (gate)
        {
            if (byAddress.TryGetValue(address, out var entry))
            {
                if (entry.Sessions <= 1)
                {
                    byAddress.Remove(address);
                }
                else
                {
                    byAddress[address] = (entry.Bucket, entry.Sessions - 1);
                }
            }
        }
    }

    /// <summary>Addresses with a guest logged in (for tests and stats).</summary>
    public int AddressCount
    {
        get
        {
            lock (gate)
            {
                return byAddress.Count;
            }
        }
    }
}
