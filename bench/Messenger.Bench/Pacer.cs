using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>
/// Sends <c>rate</c> messages a second in total, round-robin over the senders, each stamped with its scheduled send
/// time (Stopwatch ticks), from <c>start</c> for <c>seconds</c>, on a thread of its own that wakes every millisecond.
/// Stops <see cref="Overrun"/> after the last scheduled send even if it fell behind.
/// </summary>
public sealed class Pacer(ILoadClient[] senders, int rate, long start, int seconds)
{
    private static readonly long Overrun = 5 * Stopwatch.Frequency;

    /// <summary>Called on the pacer's thread before each batch with the current time (to open a measured window).</summary>
    public Action<long>? OnTick { get; init; }

    /// <summary>How many sends were scheduled at or after <see cref="CountFrom"/>.</summary>
    public long CountedSends { get; private set; }

    public long CountFrom { get; init; } = long.MaxValue;

    /// <summary>Runs the schedule; completes when the last message is sent (or the overrun stops it).</summary>
    public Task RunAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run();
                done.SetResult();
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }) { IsBackground = true, Name = "pacer" };
        thread.Start();
        return done.Task;
    }

    private void Run()
    {
        long issued = 0, total = (long)seconds * rate;
        var hardStop = start + seconds * Stopwatch.Frequency + Overrun;
        while (issued < total)
        {
            var now = Stopwatch.GetTimestamp();
            if (now > hardStop)
            {
                break;
            }
            OnTick?.Invoke(now);
            var due = Math.Min(total, Math.Max(0, now - start) * rate / Stopwatch.Frequency);
            for (; issued < due; issued++)
            {
                var scheduled = start + issued * Stopwatch.Frequency / rate;
                senders[(int)(issued % senders.Length)].SendToRandom(1, senders.Length, scheduled);
                if (scheduled >= CountFrom)
                {
                    CountedSends++;
                }
            }
            Thread.Sleep(1);
        }
    }
}
