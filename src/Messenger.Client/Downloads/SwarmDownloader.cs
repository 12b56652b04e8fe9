using System.Diagnostics;
using Messenger.Client.Peers;
using Messenger.Client.Swarm;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Security;
using Polly;
using Polly.Timeout;

namespace Messenger.Client.Downloads;

/// <summary>
/// One swarm download (STYLE §11, like Syncthing's BEP): one shared queue of missing chunks, rarest first (random
/// among equally rare), and one puller per owner with a few requests in flight, so fast peers take more. Each chunk is
/// verified before it is written into the preallocated partial file, and registered with the server (in batches, within
/// 100 ms: <see cref="ChunkRegistrations"/>), so other downloaders can fetch it from us while we are still downloading. A peer that disconnects, stalls past the
/// timeout, or serves a bad chunk is dropped for this download (and a bad one reported); its chunks go to others.
/// </summary>
public sealed class SwarmDownloader
{
    /// <summary>Requests outstanding per peer: enough to keep a link busy, few enough not to hoard chunks.</summary>
    public const int RequestsInFlightPerPeer = 4;

    /// <summary>A chunk request that gets no answer in this time drops the peer.</summary>
    public static readonly TimeSpan ChunkTimeout = TimeSpan.FromSeconds(10);

    private readonly string me;
    private readonly FileVersion version;
    private readonly PartialDownload partial;
    private readonly PeerHandshake handshake;
    private readonly string serverKey;
    private readonly ISwarmCallbacks callbacks;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly List<int> order;
    private readonly HashSet<int> inFlight = [];
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int nextReportedDecile;
    private ResiliencePipeline? retry;
    private ResiliencePipeline? timeout;

    public SwarmDownloader(string me, FileVersion version, PartialDownload partial, PeerHandshake handshake, string serverKey,
        ISwarmCallbacks callbacks, TimeProvider time)
    {
        this.me = me;
        this.version = version;
        this.partial = partial;
        this.handshake = handshake;
        this.serverKey = serverKey;
        this.callbacks = callbacks;
        this.time = time;
        order = RarestFirst(version, partial);
        nextReportedDecile = partial.CompletedCount * 10 / Math.Max(1, partial.ChunkCount) + 1;
    }

    public int PeersUsed { get; private set; }

    /// <summary>Runs until the file is complete or no peer can supply what is missing. True when complete.</summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken)
    {
        var pullers = version.Owners.Select(owner => PullAsync(owner, cancellationToken)).ToList();
        await Task.WhenAll(pullers);
        return partial.IsComplete;
    }

    private static List<int> RarestFirst(FileVersion version, PartialDownload partial)
    {
        var owners = new int[version.Manifest.ChunkHashes.Length];
        foreach (var owner in version.Owners)
        {
            foreach (var chunk in owner.Chunks)
            {
                if (chunk >= 0 && chunk < owners.Length)
                {
                    owners[chunk]++;
                }
            }
        }
        var random = new Random();
        return Enumerable.Range(0, owners.Length)
            .Where(chunk => !partial.Has(chunk) && owners[chunk] > 0)
            .OrderBy(chunk => owners[chunk])
            .ThenBy(_ => random.Next())
            .ToList();
    }

    private async Task PullAsync(ChunkOwner owner, CancellationToken cancellationToken)
    {
        var has = owner.Chunks.ToHashSet();
        PeerLink link;
        try
        {
            link = await Retry.ExecuteAsync(async token => await handshake.ConnectAsync(me,
                new PeerEndpoint(owner.User, owner.Host, owner.Port, owner.Fingerprint, owner.Ticket, TicketPurposes.Swarm), serverKey, token),
                cancellationToken);
        }
        catch (Exception ex) when (ex is PeerRefusedException or IOException or TimeoutException or System.Net.Sockets.SocketException)
        {
            callbacks.Notice($"{version.Manifest.Name}: cannot use {owner.User} ({ex.Message})");
            return;
        }
        lock (gate)
        {
            PeersUsed++;
        }
        var outstanding = new Queue<int>();
        // Chunks are read straight from the TLS stream into one reused buffer; the handshake's pipe is not used again
        // (the holder sends nothing unasked, so it holds no bytes; if it did, the peer broke the protocol).
        var frames = new StreamFrameReader(link.Stream, ProtocolLimits.MaxPayloadLength);
        try
        {
            if (link.Reader.TryRead(out var early) && !early.Buffer.IsEmpty)
            {
                throw new IOException($"{owner.User} sent data nobody asked for");
            }
            while (!partial.IsComplete)
            {
                while (outstanding.Count < RequestsInFlightPerPeer && TryTake(has, out var chunk))
                {
                    outstanding.Enqueue(chunk);
                    await link.Stream.WriteAsync(FrameEncoder.ToArray(FrameType.ChunkRequest, (uint)chunk + 1,
                        new ChunkRequest(version.FileId, chunk), ProtocolJsonContext.Default.ChunkRequest), cancellationToken);
                }
                if (outstanding.Count == 0)
                {
                    if (!await WaitForWorkAsync(has, cancellationToken))
                    {
                        return;
                    }
                    continue;
                }
                var expected = outstanding.Peek();
                var frame = await Timeout.ExecuteAsync(async token => await frames.ReadAsync(token), cancellationToken)
                    ?? throw new IOException($"{owner.User} closed the connection");
                if (frame.RequestId != (uint)expected + 1)
                {
                    throw new IOException($"{owner.User} answered out of order");
                }
                outstanding.Dequeue();
                if (frame.Type == FrameType.ChunkData)
                {
                    if (!await partial.WriteChunkAsync(expected, frame.Payload.First, cancellationToken))
                    {
                        Release(expected);
                        callbacks.ReportBadChunk(version.FileId, owner.User, expected);
                        callbacks.Notice($"{version.Manifest.Name}: {owner.User} sent a corrupt chunk; no longer using {owner.User}.");
                        return;
                    }
                    Completed(expected);
                }
                else
                {
                    has.Remove(expected); // "I do not hold that chunk" after all: others may.
                    Release(expected);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or TimeoutRejectedException or ObjectDisposedException or InvalidOperationException
            or Protocol.ProtocolException or System.Net.Sockets.SocketException)
        {
            if (!partial.IsComplete)
            {
                callbacks.Notice($"{version.Manifest.Name}: lost {owner.User} ({ex.Message}); fetching its chunks elsewhere.");
            }
        }
        finally
        {
            foreach (var chunk in outstanding)
            {
                Release(chunk);
            }
            await link.DisposeAsync();
        }
    }

    /// <summary>Takes the rarest chunk this owner has that is neither done nor being fetched.</summary>
    private bool TryTake(HashSet<int> has, out int chunk)
    {
        lock (gate)
        {
            foreach (var candidate in order)
            {
                if (has.Contains(candidate) && !inFlight.Contains(candidate) && !partial.Has(candidate))
                {
                    inFlight.Add(candidate);
                    chunk = candidate;
                    return true;
                }
            }
        }
        chunk = -1;
        return false;
    }

    /// <summary>
    /// Nothing to take now: if chunks this owner has are still being fetched by others, wait (they may come back to the
    /// queue when a peer drops); false when nothing this owner has is missing any more.
    /// </summary>
    private async Task<bool> WaitForWorkAsync(HashSet<int> has, CancellationToken cancellationToken)
    {
        Task signal;
        lock (gate)
        {
            if (!order.Any(chunk => has.Contains(chunk) && !partial.Has(chunk)))
            {
                return false;
            }
            signal = changed.Task;
        }
        await signal.WaitAsync(cancellationToken);
        return true;
    }

    private void Release(int chunk)
    {
        lock (gate)
        {
            inFlight.Remove(chunk);
            Signal();
        }
    }

    private void Completed(int chunk)
    {
        int decile;
        lock (gate)
        {
            inFlight.Remove(chunk);
            Signal();
            decile = partial.CompletedCount * 10 / Math.Max(1, partial.ChunkCount);
            if (decile < nextReportedDecile || decile >= 10)
            {
                decile = -1;
            }
            else
            {
                nextReportedDecile = decile + 1;
            }
        }
        callbacks.ChunkVerified(version.FileId, version.Manifest, chunk);
        var doneChunks = partial.CompletedCount;
        callbacks.ChunkProgress(version.Manifest.Name, Math.Min(version.Manifest.Size, (long)doneChunks * version.Manifest.ChunkSize),
            version.Manifest.Size, doneChunks, partial.ChunkCount, PeersUsed);
        if (decile > 0)
        {
            callbacks.Progress(version.Manifest.Name, decile * 10, partial.CompletedCount, partial.ChunkCount, PeersUsed);
        }
    }

    private void Signal()
    {
        var previous = changed;
        changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        previous.TrySetResult();
    }

    private ResiliencePipeline Retry => retry ??= PeerRetry.Create(time);

    private ResiliencePipeline Timeout => timeout ??= new ResiliencePipelineBuilder { TimeProvider = time }.AddTimeout(ChunkTimeout).Build();
}
