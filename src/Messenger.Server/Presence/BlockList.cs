using System.Collections.Concurrent;

namespace Messenger.Server.Presence;

/// <summary>
/// Who blocked whom (one-way), mirrored from the store. Read on every message, so reads are lock-free:
/// one immutable set per blocker, replaced on change (copy-on-write; changes are rare).
/// </summary>
public sealed class BlockList
{
    private readonly ConcurrentDictionary<string, HashSet<string>> byBlocker = new(StringComparer.Ordinal);
    private static readonly HashSet<string> EmptySet = [];

    private readonly Lock writeGate = new();

    public BlockList(IEnumerable<(string Blocker, string Blocked)> entries)
    {
        foreach (var (blocker, blocked) in entries)
        {
            Add(blocker, blocked);
        }
    }

    /// <summary>True when <paramref name="blocker"/> has blocked <paramref name="blocked"/>.</summary>
    public bool IsBlocked(string blocker, string blocked) =>
        byBlocker.TryGetValue(blocker, out var set) && set.Contains(blocked);

    /// <summary>Everyone <paramref name="blocker"/> has blocked (a snapshot: the set is never changed in place).</summary>
    public IReadOnlySet<string> BlockedBy(string blocker) =>
        byBlocker.TryGetValue(blocker, out var set) ? set : EmptySet;

    public bool HasAnyBlocks(string blocker) => byBlocker.TryGetValue(blocker, out var set) && set.Count > 0;

    public bool Add(string blocker, string blocked)
    {
        lock (writeGate)
        {
            var current = byBlocker.GetValueOrDefault(blocker);
            if (current is not null && current.Contains(blocked))
            {
                return false;
            }
            var next = current is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(current, StringComparer.Ordinal);
            next.Add(blocked);
            byBlocker[blocker] = next;
            return true;
        }
    }

    public bool Remove(string blocker, string blocked)
    {
        lock (writeGate)
        {
            var current = byBlocker.GetValueOrDefault(blocker);
            if (current is null || !current.Contains(blocked))
            {
                return false;
            }
            var next = new HashSet<string>(current, StringComparer.Ordinal);
            next.Remove(blocked);
            byBlocker[blocker] = next;
            return true;
        }
    }
}
