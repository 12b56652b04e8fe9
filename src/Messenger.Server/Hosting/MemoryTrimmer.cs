namespace Messenger.Server.Hosting;

/// <summary>
/// Gives memory back after a burst. The GC keeps what it grew to until it collects again, and a quiet server does not
/// collect, so after a broadcast storm the process stayed at ~220 MB with ~2 MB live (docs/SECURITY.md). On a VM that
/// reports a large L3 (105 MiB here) workstation GC sizes gen0 from it, so one burst commits ~100 MB for gen0 alone.
/// Checked from the sweep: when the GC holds far more than the live heap, one aggressive collection (which also
/// decommits free regions) returns it, at most once per <see cref="MinimumInterval"/> so a storm cannot make the
/// server collect in a loop. With a live heap of a few MB it costs a few milliseconds.
/// </summary>
public sealed class MemoryTrimmer(TimeProvider time, Func<(long Committed, long Live)>? probe = null, Action? collect = null)
{
    /// <summary>Committed memory beyond twice the live heap plus this much counts as held after a burst.</summary>
    public const long SlackBytes = 48L * 1024 * 1024;

    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(20);

    private readonly Func<(long Committed, long Live)> probe = probe ?? ReadGc;
    private readonly Action collect = collect ?? CollectAggressively;
    private long lastTrim = long.MinValue;

    public int Trims { get; private set; }

    /// <summary>Trims if the GC holds more than it needs and the last trim is long enough ago; true if it did.</summary>
    public bool TrimIfHeld()
    {
        var now = time.GetTimestamp();
        if (lastTrim != long.MinValue && time.GetElapsedTime(lastTrim, now) < MinimumInterval)
        {
            return false;
        }
        var (committed, live) = probe();
        if (committed <= (2 * live) + SlackBytes)
        {
            return false;
        }
        lastTrim = now;
        Trims++;
        collect();
        return true;
    }

    private static (long, long) ReadGc()
    {
        var info = GC.GetGCMemoryInfo();
        return (info.TotalCommittedBytes, info.HeapSizeBytes);
    }

    private static void CollectAggressively() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
