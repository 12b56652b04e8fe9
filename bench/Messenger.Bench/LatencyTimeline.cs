using System.Diagnostics;
using System.Globalization;

namespace Messenger.Bench;

/// <summary>
/// W2's p99 for each second of the window (by scheduled send time): tells a backlog carried in from the warm-up (high
/// at the start, falling) from waiting that lasts the whole run (flat).
/// </summary>
public sealed class LatencyTimeline(int seconds, int capacity, long from, long to) : IReceiver
{
    private readonly Latencies[] buckets = Enumerable.Range(0, seconds)
        .Select(s => new Latencies(capacity / seconds + 1, from + s * Stopwatch.Frequency, from + (s + 1) * Stopwatch.Frequency)).ToArray();

    public void OnIncoming(ILoadClient at, ReadOnlySpan<byte> text, long now)
    {
        if (BenchConnection.TryParseText(text, out _, out var scheduled) && scheduled >= from && scheduled < to)
        {
            var second = (scheduled - from) / Stopwatch.Frequency;
            if (second < buckets.Length)
            {
                buckets[second].OnIncoming(at, text, now);
            }
        }
    }

    /// <summary>"p99 of second 1, p99 of second 2, ..." in milliseconds (a string: the summary tables skip it).</summary>
    public string Describe() => string.Join(' ', buckets.Select(b => b.Count == 0 ? "-" : b.Percentile(0.99).ToString("0.#", CultureInfo.InvariantCulture)));
}
