namespace Messenger.Server.Cluster;

/// <summary>
/// When the bus's reader reads Redis's generation key: first after the link to Redis failed or came back (Redis may
/// have restarted empty), otherwise at most once per <c>interval</c>. Read before every XREAD it was nearly one GET per
/// message at low rates; the poll interval already bounds how late an idle reader notices anything. The reader also
/// deletes the inbox entries it has read at each look.
/// </summary>
internal sealed class GenerationLookSchedule(TimeSpan interval, TimeProvider time)
{
    private const long Now = long.MinValue;
    private long lastLook = Now;

    /// <summary>The next <see cref="TakeIfDue"/> answers true (a Redis error or reconnection).</summary>
    public void LookNext() => Interlocked.Exchange(ref lastLook, Now);

    /// <summary>True when a look is due, and then counts it as taken (the caller reads the key).</summary>
    public bool TakeIfDue()
    {
        var lookedAt = Interlocked.Read(ref lastLook);
        return (lookedAt == Now || time.GetElapsedTime(lookedAt) >= interval)
            && Interlocked.CompareExchange(ref lastLook, time.GetTimestamp(), lookedAt) == lookedAt;
    }
}
