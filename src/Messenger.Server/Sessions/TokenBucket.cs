namespace Messenger.Server.Sessions;

/// <summary>
/// A token bucket: <c>capacity</c> tokens per <c>period</c> (a second unless given), bursts up to the capacity. Time from
/// <see cref="TimeProvider"/>, so tests drive it with a fake clock. Thread-safe (its own short lock): the guests of one
/// address share one bucket across their sessions' gates.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider time;
    private readonly double capacity;
    private readonly double tokensPerSecond;
    private double tokens;
    private long lastTimestamp;
    private readonly Lock gate = new();

    public TokenBucket(TimeProvider time, int capacity, TimeSpan? period = null)
    {
        this.time = time;
        this.capacity = capacity;
        tokensPerSecond = capacity / (period ?? TimeSpan.FromSeconds(1)).TotalSeconds;
        tokens = capacity;
        lastTimestamp = time.GetTimestamp();
    }

    /// <summary>True when a token could be taken now (takes none).</summary>
    public bool HasToken()
    {
        lock (gate)
        {
            Refill();
            return tokens >= 1;
        }
    }

    public bool TryTake()
    {
        lock (gate)
        {
            Refill();
            if (tokens < 1)
            {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }

    private void Refill()
    {
        var now = time.GetTimestamp();
        var elapsed = time.GetElapsedTime(lastTimestamp, now).TotalSeconds;
        lastTimestamp = now;
        tokens = Math.Min(capacity, tokens + (elapsed * tokensPerSecond));
    }
}
