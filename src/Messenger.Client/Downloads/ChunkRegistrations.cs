using Messenger.Protocol.Contracts;

namespace Messenger.Client.Downloads;

/// <summary>
/// Collects the chunks a download has verified and registers them with the server in batches (one RegisterChunks
/// with a list) instead of one request per chunk: 1,024 requests per GiB cost the server 15-25 % of a core in benchmark
/// S1. A chunk is only ever added after it was verified and written, so a batch never names a chunk we cannot serve;
/// it reaches the server at most <see cref="Interval"/> after the first chunk of the batch (or at once when
/// <see cref="BatchChunks"/> are waiting), which is the only delay other downloaders see. <see cref="Flush"/> sends
/// what is waiting (the end or the stop of a download). Thread-safe: pullers add concurrently. The one-shot timer is
/// armed only while chunks wait, so nothing outlives the last batch.
/// </summary>
public sealed class ChunkRegistrations(Action<string, FileManifest, IReadOnlyList<int>> send, TimeProvider time)
{
    /// <summary>A verified chunk is registered at most this long after it was verified (unless the batch fills first).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>A batch this big (64 MiB at 1 MiB chunks) is sent without waiting for the interval.</summary>
    public const int BatchChunks = 64;

    private readonly Dictionary<string, Pending> pending = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private ITimer? timer;

    /// <summary>Chunk <paramref name="chunk"/> of the file was verified and written: register it with the next batch.</summary>
    public void Add(string fileId, FileManifest manifest, int chunk)
    {
        List<int>? full = null;
        lock (gate)
        {
            if (!pending.TryGetValue(fileId, out var batch))
            {
                batch = new Pending(manifest);
                pending[fileId] = batch;
            }
            batch.Chunks.Add(chunk);
            if (batch.Chunks.Count >= BatchChunks)
            {
                full = batch.Chunks;
                pending.Remove(fileId);
            }
            else
            {
                timer ??= time.CreateTimer(_ => FlushAll(), null, Interval, Timeout.InfiniteTimeSpan);
            }
        }
        if (full is not null)
        {
            send(fileId, manifest, full);
        }
    }

    /// <summary>Sends what is waiting for this file now (nothing when nothing is).</summary>
    public void Flush(string fileId)
    {
        Pending? batch;
        lock (gate)
        {
            if (pending.Remove(fileId, out batch) && pending.Count == 0)
            {
                DisarmLocked();
            }
        }
        if (batch is not null)
        {
            send(fileId, batch.Manifest, batch.Chunks);
        }
    }

    /// <summary>Forgets what is waiting for this file (a registration of the whole file replaces it).</summary>
    public void Discard(string fileId)
    {
        lock (gate)
        {
            if (pending.Remove(fileId) && pending.Count == 0)
            {
                DisarmLocked();
            }
        }
    }

    private void FlushAll()
    {
        List<(string FileId, Pending Batch)> batches;
        lock (gate)
        {
            DisarmLocked();
            batches = [.. pending.Select(pair => (pair.Key, pair.Value))];
            pending.Clear();
        }
        foreach (var (fileId, batch) in batches)
        {
            send(fileId, batch.Manifest, batch.Chunks);
        }
    }

    private void DisarmLocked()
    {
        timer?.Dispose();
        timer = null;
    }

    private sealed class Pending(FileManifest manifest)
    {
        public FileManifest Manifest { get; } = manifest;

        public List<int> Chunks { get; } = [];
    }
}
