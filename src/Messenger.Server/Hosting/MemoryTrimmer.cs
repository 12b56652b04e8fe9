namespace Messenger.Server.Hosting;

/// <summary>
/// Gives memory back after a burst. The GC keeps what it grew to until it collects again, and a quiet server does not
/// collect, so after a broadcast storm the process stayed at ~360 MB with a few MB live (docs/SECURITY.md). On a VM
/// that reports a large L3 (105 MiB here) workstation GC sizes gen0 from it, so one burst commits ~100 MB for gen0
/// alone, and what the burst kept alive for a while (a store queue that lagged) was promoted to gen2, which no later
/// collection visits. The last collection's figures cannot tell the two apart: taken mid-storm, they call 167 MB live.
/// Checked from the sweep: once the server is quiet (little allocated since the previous check), has allocated a
/// burst's worth since the last trim, and holds far more than the live heap that trim measured, one aggressive
/// collection (which also decommits free regions) returns it, at most once per <see cref="MinimumInterval"/>. A busy
/// server is left alone: its own collections keep it in shape, and a full collection in the middle of its traffic
/// would only cost it latency. With a live heap of a few MB it costs a few milliseconds.
/// </summary>
public sealed class MemoryTrimmer(TimeProvider time, Func<MemoryTrimmer.Sample>? probe = null, Action? collect = null)
{
    /// <summary>Held memory beyond twice the live heap plus this much counts as a burst's leftovers; allocating this
    /// much since the last trim counts as a burst.</summary>
    public const long SlackBytes = 16L * 1024 * 1024;

    /// <summary>Allocated since the previous check (one sweep, 500 ms by default) above this means the server is busy.
    /// An idle server with thousands of connections allocates tens of KB per second.</summary>
    public const long QuietAllocationBytes = 2L * 1024 * 1024;

    /// <summary>Quiet and a fresh burst are what keep a trim from repeating; this only spaces out bursty quiet spells.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// What the GC holds, what was live at the last collection, and the process's total allocation so far. Held counts
    /// what was allocated since the last collection too: after a storm no collection runs, so the last collection's
    /// figures alone describe a heap much smaller than the one the process is holding.
    /// </summary>
    public readonly record struct Sample(long Held, long Live, long TotalAllocated);

    private readonly Func<Sample> probe = probe ?? ReadProcessGc;
    private readonly Action collect = collect ?? CollectAggressively;
    private long lastTrimAt = long.MinValue;
    private long allocatedAtLastCheck = -1;
    private long allocatedAtLastTrim;
    private long heldAfterLastTrim;
    private long liveAfterLastTrim;

    public int Trims { get; private set; }

    /// <summary>Held before and after the last trim, for the log.</summary>
    public (long Before, long After) LastTrim { get; private set; }

    /// <summary>Trims if the server is quiet after a burst, holds far more than it needs and the last trim is long
    /// enough ago; true if it did.</summary>
    public bool TrimIfHeld()
    {
        var sample = probe();
        var quiet = allocatedAtLastCheck >= 0 && sample.TotalAllocated - allocatedAtLastCheck <= QuietAllocationBytes;
        allocatedAtLastCheck = sample.TotalAllocated;
        var now = time.GetTimestamp();
        if (!quiet
            || sample.TotalAllocated - allocatedAtLastTrim < SlackBytes
            || sample.Held - heldAfterLastTrim < SlackBytes
            || sample.Held < 2 * liveAfterLastTrim
            || (lastTrimAt != long.MinValue && time.GetElapsedTime(lastTrimAt, now) < MinimumInterval))
        {
            return false;
        }
        lastTrimAt = now;
        Trims++;
        collect();
        var after = probe();
        LastTrim = (sample.Held, after.Held);
        heldAfterLastTrim = after.Held;
        liveAfterLastTrim = after.Live;
        allocatedAtLastTrim = allocatedAtLastCheck = after.TotalAllocated;
        return true;
    }

    /// <summary>The sample for this process.</summary>
    public static Sample ReadProcessGc()
    {
        var info = GC.GetGCMemoryInfo();
        // GetTotalMemory counts objects only; the last collection's heap size also counts its free space
        // (fragmentation), so the baseline is the heap without it: with a fragmented heap, measuring from the heap size
        // hid that much of what was allocated since (a test saw 5.3 of 8 MiB).
        var inUseAtCollection = info.HeapSizeBytes - info.FragmentedBytes;
        var allocatedSinceCollection = Math.Max(0, GC.GetTotalMemory(forceFullCollection: false) - inUseAtCollection);
        return new Sample(info.TotalCommittedBytes + allocatedSinceCollection, info.HeapSizeBytes,
            GC.GetTotalAllocatedBytes(precise: false));
    }

    private static void CollectAggressively() =>
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
