namespace Messenger.Server.Sessions;

/// <summary>
/// A token bucket: <c>capacity</c> tokens per <c>period</c> (a second unless given), bursts up to the capacity. Time from
/// <see cref="TimeProvider"/>'s UTC clock, so tests drive it with a fake clock and a caller that already read the clock
/// passes its reading (<see cref="TryTake(DateTimeOffset)"/>; a clock read was ~1 % of the server's CPU per message in
/// W1). A clock stepped back refills nothing; stepped forward, it refills at most the capacity.
/// Thread-safe (its own short lock) unless made <c>guardedByCaller</c>: the guests of one address share one bucket
/// across their sessions' gates, while a session's own bucket is only taken under that session's gate.
/// </summary>
public sealed class TokenBucket
{
    private readonly TimeProvider time;
    private readonly double capacity;
    private readonly double tokensPerTick;
    private readonly Lock? gate;
    private double tokens;
    private long lastTicks;

    /// <param name="guardedByCaller">Every caller holds one same lock (a session's gate), so the bucket takes none.</param>
    public TokenBucket(TimeProvider time, int capacity, TimeSpan? period = null, bool guardedByCaller = false)
    {
        this.time = time;
        this.capacity = capacity;
        tokensPerTick = capacity / (double)(period ?? TimeSpan.FromSeconds(1)).Ticks;
        tokens = capacity;
        lastTicks = time.GetUtcNow().UtcTicks;
        gate = guardedByCaller ? null : new Lock();
    }

    /// <summary>True when a token could be taken now (takes none).</summary>
    public bool HasToken() => Update(time.GetUtcNow(), take: false);

    public bool TryTake() => TryTake(time.GetUtcNow());

    /// <summary>Takes a token if there is one at <paramref name="now"/> (the caller's reading of this bucket's clock).</summary>
    public bool TryTake(DateTimeOffset now) => Update(now, take: true);

    private bool Update(DateTimeOffset now, bool take)
    {
        if (gate is null)
        {
            return RefillAndTake(now, take);
        }
        lock (gate)
        {
            return RefillAndTake(now, take);
        }
    }

    private bool RefillAndTake(DateTimeOffset now, bool take)
    {
        Refill(now);
        if (tokens < 1)
        {
            return false;
        }
        tokens -= take ? 1 : 0;
        return true;
    }

    private void Refill(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        var elapsed = Math.Max(0, ticks - lastTicks);
        lastTicks = ticks;
        tokens = Math.Min(capacity, tokens + (elapsed * tokensPerTick));
    }
}
