namespace Messenger.Server.Hosting;

/// <summary>
/// Lets one log line per key through per <see cref="Window"/> and counts the rest, so a sender cannot flood the
/// operator's log: one broadcast storm at a full mailbox wrote 17,000 identical warnings, and writing them cost the
/// server more than the storm itself. The counts are handed to <see cref="Flush"/> (from the sweep) once the window of
/// their key is over, so the operator still learns how many there were.
/// </summary>
public sealed class LogThrottle(TimeProvider time, TimeSpan window)
{
    /// <summary>Keys tracked at most; past it the oldest windows are summarised early, so memory stays bounded.</summary>
    public const int MaxKeys = 10_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> keys = new(StringComparer.Ordinal);

    public TimeSpan Window => window;

    /// <summary>True when this occurrence is to be logged; false when it was only counted.</summary>
    public bool ShouldLog(string key)
    {
        var now = time.GetTimestamp();
        lock (gate)
        {
            if (keys.TryGetValue(key, out var entry) && time.GetElapsedTime(entry.Since, now) < window)
            {
                entry.Suppressed++;
                return false;
            }
            if (keys.Count >= MaxKeys)
            {
                return false;
            }
            keys[key] = new Entry(now);
            return true;
        }
    }

    /// <summary>Reports, per key whose window is over, how many occurrences were not logged, and forgets the key.</summary>
    public void Flush(Action<string, int> report)
    {
        var now = time.GetTimestamp();
        List<(string Key, int Count)> due = [];
        lock (gate)
        {
            var full = keys.Count >= MaxKeys;
            foreach (var (key, entry) in keys)
            {
                if (full || time.GetElapsedTime(entry.Since, now) >= window)
                {
                    due.Add((key, entry.Suppressed));
                }
            }
            foreach (var (key, _) in due)
            {
                keys.Remove(key);
            }
        }
        // Reported outside the lock: a logger may block on its sink.
        foreach (var (key, count) in due.Where(d => d.Count > 0))
        {
            report(key, count);
        }
    }

    private sealed class Entry(long since)
    {
        public long Since { get; } = since;

        public int Suppressed { get; set; }
    }
}
