using System.Collections.Concurrent;

namespace Messenger.IntegrationTests.Harness;

/// <summary>
/// Collects task exceptions nobody observed (a background task that failed with no owner looking). The runtime
/// reports them when the task is finalized, so <see cref="TakeAfterCollecting"/> collects first; what it finds may
/// come from an earlier test in the run, which is still a failure worth seeing.
/// </summary>
public static class UnobservedTasks
{
    private static readonly ConcurrentQueue<Exception> Seen = new();
    private static int installed;

    public static void Install()
    {
        if (Interlocked.Exchange(ref installed, 1) == 0)
        {
            TaskScheduler.UnobservedTaskException += (_, e) =>
            {
                Seen.Enqueue(e.Exception);
                e.SetObserved();
            };
        }
    }

    /// <summary>Finalizes what is unreachable and returns (and forgets) every unobserved exception seen so far.</summary>
    public static List<Exception> TakeAfterCollecting()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var taken = new List<Exception>();
        while (Seen.TryDequeue(out var exception))
        {
            taken.Add(exception);
        }
        return taken;
    }
}
