namespace Messenger.Server.Hosting;

/// <summary>
/// Keeps at least <see cref="WorkersPerCore"/> thread-pool workers per core ready. With the runtime's default (one per
/// core), a worker that stops for a moment (a contended gate, a page fault, a GC suspension) leaves frames waiting until
/// the pool notices and adds a thread; two per core take them at once. Measured on 2 cores, 3 interleaved pairs each
/// (docs/BENCHMARKS.md, 2026-12-05): W2 p99 12.3-15.4 ms → 5.1-5.2 ms, W1 340k → 362k messages/s (median).
/// Applied by the server's process only (Program), not by hosts that tests start inside their own process.
/// </summary>
public static class ThreadPoolFloor
{
    public const int WorkersPerCore = 2;

    /// <summary>Raises the pool's minimum of workers to <see cref="WorkersPerCore"/> per core; never lowers it.</summary>
    public static void Apply(int processorCount)
    {
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        var floor = WorkersPerCore * processorCount;
        if (workers < floor)
        {
            ThreadPool.SetMinThreads(floor, completionPorts);
        }
    }
}
