using System.Diagnostics;
using Messenger.Client.Connection;
using Messenger.Client.Hosting;
using Messenger.Client.Peers;
using Messenger.Client.Swarm;
using Messenger.Protocol.Tasks;
using Messenger.Client.Ui;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Downloads;

/// <summary>
/// The client's side of file sharing: answers the server's holder queries from the share folder, serves chunks to
/// downloaders, and runs p2pDownload in the background (other commands keep working meanwhile).
/// </summary>
public sealed class DownloadManager : ISwarmCallbacks
{
    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    private readonly BackgroundWork background;
    private readonly IUserInterface ui;
    private readonly TimeProvider time;
    private readonly PrivateChats peers;
    private readonly Func<ServerLink?> server;
    private readonly Func<string?> user;
    private readonly Func<string?> serverKey;
    private readonly Action<string> reportActivity;
    private readonly ManifestCache manifests;
    private readonly SharedFiles shared = new();
    private readonly HashSet<string> running = new(StringComparer.Ordinal);
    private readonly List<Task> downloads = [];
    private readonly HashSet<string> registered = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> startedAt = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly ChunkRegistrations registrations;

    public DownloadManager(ClientOptions options, IUserInterface ui, TimeProvider time, PrivateChats peers, BackgroundWork background,
        Func<ServerLink?> server, Func<string?> user, Func<string?> serverKey, Action<string> reportActivity)
    {
        this.ui = ui;
        this.background = background;
        this.time = time;
        this.peers = peers;
        this.server = server;
        this.user = user;
        this.serverKey = serverKey;
        this.reportActivity = reportActivity;
        Share = new ShareDirectory(options.ResolveShareDirectory());
        DownloadDirectory = options.ResolveDownloadDirectory();
        manifests = new ManifestCache(options.ResolveStateDirectory());
        peers.ServeSwarm = link => new ChunkServer(shared, time).ServeAsync(link);
        registrations = new ChunkRegistrations(Register, time);
    }

    public ShareDirectory Share { get; }

    public string DownloadDirectory { get; }

    /// <summary>The server asks whether we hold a file: answer from the share folder or from finished downloads.</summary>
    public async Task AnswerHolderQueryAsync(HolderQuery query)
    {
        HolderAnswer answer = new(query.QueryId);
        try
        {
            if (Share.TryResolveExisting(query.Name, out var path, out _))
            {
                var manifest = await manifests.GetOrBuildAsync(path, query.Name, CancellationToken.None);
                var fileId = FileIds.Of(manifest);
                shared.AddComplete(fileId, manifest, path);
                answer = new HolderAnswer(query.QueryId, fileId, manifest);
            }
            else if (shared.FindCompleteByName(query.Name) is { } finished)
            {
                answer = new HolderAnswer(query.QueryId, finished.FileId, finished.Manifest);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            ui.WriteLine($"Could not offer '{TextSanitizer.Escape(query.Name)}' to a downloader: {ex.Message}");
        }
        server()?.Post(FrameType.HolderAnswer, answer, Json.HolderAnswer);
    }

    /// <summary>p2pDownload: checks the name, asks the server who holds it, and starts the download in the background.</summary>
    public async Task StartAsync(string name, string? fileId)
    {
        if (!ShareDirectory.IsSafeName(name, out var error))
        {
            ui.WriteLine(error);
            return;
        }
        if (DownloadLayout.TargetExists(DownloadDirectory, name))
        {
            ui.WriteLine($"{name} already exists in {DownloadDirectory}; it is never overwritten.");
            return;
        }
        lock (gate)
        {
            if (!running.Add(name))
            {
                ui.WriteLine($"{name} is already being downloaded.");
                return;
            }
        }
        var started = false;
        try
        {
            if (server() is not { } link || user() is not { } me || serverKey() is not { } key)
            {
                ui.WriteLine("Not connected to the server right now; try again in a moment.");
                return;
            }
            ui.WriteLine($"Looking for {name}...");
            var reply = await link.RequestAsync(FrameType.FindFile, new FindFileRequest(name, fileId), Json.FindFileRequest);
            if (!reply.TryRead(Json.FileLocations, out var locations) || locations.Versions.Length == 0)
            {
                ui.WriteLine(reply.AsResponse()?.Message ?? $"No online user shares '{name}'.");
                return;
            }
            var version = locations.Versions[0];
            if (locations.Versions.Length > 1 && fileId is null)
            {
                ui.WriteLine($"{name}: {locations.Versions.Length} different files have this name; taking the one {version.Owners.Length} user(s) hold " +
                    $"(id {version.FileId[..12]}). Others: " +
                    string.Join(", ", locations.Versions.Skip(1).Select(v => $"{v.FileId[..12]} ({v.Owners.Length})")) +
                    $". To choose: p2pDownload {name} <id>");
            }
            var task = RunAsync(me, key, version);
            lock (gate)
            {
                downloads.Add(task);
            }
            started = true;
        }
        catch (ConnectionLostException)
        {
            ui.WriteLine("The connection was lost before the server answered; try again once reconnected.");
        }
        finally
        {
            if (!started)
            {
                lock (gate)
                {
                    running.Remove(name);
                }
            }
        }
    }

    private async Task RunAsync(string me, string key, FileVersion version)
    {
        var name = version.Manifest.Name;
        var stopwatch = Stopwatch.StartNew();
        startedAt[name] = time.GetTimestamp();
        try
        {
            await using var partial = await PartialDownload.OpenAsync(DownloadDirectory, name, version.Manifest, version.FileId, CancellationToken.None);
            shared.AddPartial(partial);
            if (partial.CompletedCount > 0)
            {
                Register(version.FileId, version.Manifest, partial.CompletedChunks());
            }
            ui.WriteLine($"Downloading {name}: {FormatBytes(version.Manifest.Size)} in {partial.ChunkCount} chunks from " +
                $"{version.Owners.Length} user(s){(partial.CompletedCount > 0 ? $", resuming with {partial.CompletedCount} chunks already here" : "")}.");
            var downloader = new SwarmDownloader(me, version, partial, peers.Handshake, key, this, time);
            if (!await downloader.RunAsync(CancellationToken.None))
            {
                ui.WriteLine($"{name}: stopped at {partial.CompletedCount} of {partial.ChunkCount} chunks: no online user can supply the rest. " +
                    $"Run p2pDownload {name} again to resume.");
                return;
            }
            var path = await partial.CompleteAsync(CancellationToken.None);
            shared.AddComplete(version.FileId, version.Manifest, path);
            registrations.Discard(version.FileId); // The whole file is registered next.
            Register(version.FileId, version.Manifest, Enumerable.Range(0, partial.ChunkCount).ToList());
            var seconds = Math.Max(stopwatch.Elapsed.TotalSeconds, 0.001);
            ui.WriteLine($"Downloaded {name}: {FormatBytes(version.Manifest.Size)} in {seconds:0.0} s " +
                $"({version.Manifest.Size / seconds / 1e6:0.0} MB/s) from {downloader.PeersUsed} peer(s), saved to {path}.");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // ArgumentException: a manifest or id from the network that fails PartialDownload's checks.
            ui.WriteLine($"{name}: download failed: {ex.Message}");
        }
        finally
        {
            // A download that stopped or failed still serves what it verified (nothing waits once it completed).
            registrations.Flush(version.FileId);
            ui.SetStatus(name, null);
            startedAt.TryRemove(name, out _);
            lock (gate)
            {
                running.Remove(name);
            }
        }
    }

    /// <summary>Waits for running downloads (end of input waits for them, bounded by the caller's timeout).</summary>
    public Task WhenAllAsync()
    {
        lock (gate)
        {
            return Task.WhenAll(downloads);
        }
    }

    public void ChunkVerified(string fileId, FileManifest manifest, int chunk) => registrations.Add(fileId, manifest, chunk);

    public void ReportBadChunk(string fileId, string owner, int chunk) =>
        Fire(FrameType.ReportBadChunk, new ReportBadChunk(fileId, owner, chunk), Json.ReportBadChunk);

    public void Progress(string name, int percent, int chunksDone, int chunkCount, int peers)
    {
        if (!ui.ShowsLiveStatus)
        {
            ui.WriteLine($"{name}: {percent}% ({chunksDone}/{chunkCount} chunks, {peers} peer(s))");
        }
        reportActivity("download"); // A download that makes progress keeps its user from timing out.
    }

    public void ChunkProgress(string name, long bytesDone, long size, int chunksDone, int chunkCount, int peers)
    {
        if (!ui.ShowsLiveStatus)
        {
            return;
        }
        var elapsed = Math.Max(0.001, time.GetElapsedTime(startedAt.GetValueOrDefault(name, time.GetTimestamp())).TotalSeconds);
        ui.SetStatus(name, $"{name} {100 * bytesDone / Math.Max(1, size)}% {bytesDone / elapsed / 1e6:0.0} MB/s {peers} peer(s) {chunksDone}/{chunkCount}");
    }

    public void Notice(string text) => ui.WriteLine(TextSanitizer.Escape(text));

    /// <summary>Registers chunks with the server; the (large) manifest goes with the first registration of a file only.</summary>
    private void Register(string fileId, FileManifest manifest, IReadOnlyList<int> chunks)
    {
        bool first;
        lock (gate)
        {
            first = registered.Add(fileId);
        }
        Fire(FrameType.RegisterChunks, new RegisterChunks(fileId, [.. chunks], first ? manifest : null), Json.RegisterChunks);
    }

    /// <summary>A request whose answer nobody waits for (registration and reports are best effort; the next one repeats).</summary>
    private void Fire<T>(FrameType type, T payload, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo)
    {
        if (server() is { } link && !link.Closed.IsCompleted)
        {
            background.Run($"sending {type} to the server", async () =>
            {
                try
                {
                    await link.RequestAsync(type, payload, typeInfo);
                }
                catch (ConnectionLostException)
                {
                    // Best effort: after a reconnect the next registration or report repeats it.
                }
            });
        }
    }

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.00} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / 1024.0:0.0} KiB",
        _ => $"{bytes} bytes",
    };
}
