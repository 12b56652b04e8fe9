using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>Receipt latency (from the scheduled send time in the text) of messages scheduled inside the window.</summary>
public sealed class Latencies(int capacity, long from, long to) : IReceiver
{
    private readonly long[] samples = new long[capacity];
    private int count;

    public int Count => Math.Min(count, samples.Length);

    public void OnIncoming(ILoadClient at, ReadOnlySpan<byte> text, long now)
    {
        if (BenchConnection.TryParseText(text, out _, out var scheduled) && scheduled >= from && scheduled < to)
        {
            var slot = Interlocked.Increment(ref count) - 1;
            if (slot < samples.Length)
            {
                samples[slot] = now - scheduled;
            }
        }
    }

    /// <summary>The q-quantile in milliseconds.</summary>
    public double Percentile(double q)
    {
        var n = Count;
        if (n == 0)
        {
            return double.NaN;
        }
        var sorted = samples.AsSpan(0, n).ToArray();
        Array.Sort(sorted);
        var at = Math.Min(n - 1, (int)Math.Ceiling(q * n) - 1);
        return sorted[Math.Max(0, at)] * 1000.0 / Stopwatch.Frequency;
    }
}
