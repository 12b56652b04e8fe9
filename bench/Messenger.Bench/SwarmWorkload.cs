using System.Diagnostics;
using System.Security.Cryptography;
using Messenger.Client.Swarm;

namespace Messenger.Bench;

/// <summary>
/// S1: a random file shared by N holders (real client processes, manifests already cached) and downloaded with
/// p2pDownload by one more client process. Seconds from typing the command to the "Downloaded" line (the file is
/// then complete, every chunk verified, and renamed into place), MB/s, and the CPU of the downloader, the holders and
/// the server over that window. The file is checked against the original afterwards. Everything lives in one
/// folder under the temp directory, deleted at the end.
/// </summary>
public sealed class SwarmWorkload(BenchOptions options, string clientDll, int holders, long size)
{
    private const string FileName = "s1.bin";
    private static readonly TimeSpan StartDeadline = TimeSpan.FromSeconds(30);

    /// <summary>Generous for any speed this product has shown (1 GiB at 10 MB/s), so a stall ends the run, not the bench.</summary>
    private TimeSpan DownloadDeadline => TimeSpan.FromSeconds(Math.Max(30, size / 10e6));

    public async Task<Dictionary<string, object>> RunAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "messenger-s1-" + Guid.NewGuid().ToString("N"));
        var share = Path.Combine(folder, "share");
        Directory.CreateDirectory(share);
        var clients = new List<ClientProcess>();
        try
        {
            var expectedHash = await WriteRandomFileAsync(Path.Combine(share, FileName));
            await CacheManifestsAsync(folder, Path.Combine(share, FileName));
            using var server = await ServerProcess.StartAsync(options.ServerDll, holders + 1, options.Tls);
            var holderProcesses = await Task.WhenAll(Enumerable.Range(0, holders).Select(i =>
                ClientProcess.StartAsync(clientDll, server.Port, options.Tls, i, HolderFolder(folder, i), share, StartDeadline)));
            clients.AddRange(holderProcesses);
            var downloaderFolder = Path.Combine(folder, "downloader");
            var downloader = await ClientProcess.StartAsync(clientDll, server.Port, options.Tls, holders, downloaderFolder,
                Path.Combine(downloaderFolder, "share"), StartDeadline);
            clients.Add(downloader);
            await Console.Error.WriteLineAsync($"bench: S1 downloader pid {downloader.Pid}, holder pids {string.Join(' ', holderProcesses.Select(h => h.Pid))}");
            await SettleAsync([server.Pid, .. clients.Select(c => c.Pid)], TimeSpan.FromSeconds(10));

            var window = new SwarmCpuWindow(server, downloader, holderProcesses);
            var from = downloader.LineCount;
            var start = Stopwatch.GetTimestamp();
            downloader.Type($"p2pDownload {FileName}");
            var end = await downloader.WaitForLineAsync(
                [$"Downloaded {FileName}", $"{FileName}: download failed", $"{FileName}: stopped at", "No online user shares"], DownloadDeadline, from);
            window.Stop();
            var seconds = (end.At - start) / (double)Stopwatch.Frequency;
            var result = NewResult();
            if (!end.Text.StartsWith($"Downloaded {FileName}", StringComparison.Ordinal))
            {
                result["error"] = end.Text;
                return result;
            }
            var transferStart = await downloader.WaitForLineAsync([$"Downloading {FileName}"], TimeSpan.FromSeconds(1), from);
            var saved = Path.Combine(downloaderFolder, "downloads", FileName);
            var verified = await HashFileAsync(saved) is var hash && hash.AsSpan().SequenceEqual(expectedHash);
            result["seconds"] = Math.Round(seconds, 3);
            result["mb_per_s"] = Math.Round(size / seconds / 1e6, 1);
            result["mib_per_s"] = Math.Round(size / seconds / (1 << 20), 1);
            result["setup_s"] = Math.Round((transferStart.At - start) / (double)Stopwatch.Frequency, 3);
            result["verified"] = verified;
            window.AddTo(result);
            if (!verified)
            {
                result["error"] = "the downloaded file differs from the original";
            }
            return result;
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
            Directory.Delete(folder, recursive: true);
        }
    }

    private Dictionary<string, object> NewResult() => new()
    {
        ["workload"] = "S1",
        ["mode"] = options.Mode,
        ["variant"] = $"{holders} holder(s), {size / (1 << 20)} MiB" + (NativeClients ? ", native clients" : ""),
        ["holders"] = holders,
        ["size_mib"] = size / (1 << 20),
    };

    /// <summary>The clients are the Native AOT binary (anything but a client.dll), not the JIT build.</summary>
    private bool NativeClients => PublishedApp.IsNative(clientDll);

    private static string HolderFolder(string folder, int index) => Path.Combine(folder, $"holder{index}");

    /// <summary>
    /// Random bytes (not compressible, no repeated chunks), hashed as written, and flushed to disk so that writeback
    /// does not run during the measurement. The holders read it from the page cache, as a file served often would be.
    /// </summary>
    private async Task<byte[]> WriteRandomFileAsync(string path)
    {
        var random = new Random();
        var block = new byte[1 << 20];
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write);
        for (long offset = 0; offset < size; offset += block.Length)
        {
            var length = (int)Math.Min(block.Length, size - offset);
            random.NextBytes(block.AsSpan(0, length));
            hash.AppendData(block, 0, length);
            await RandomAccess.WriteAsync(file, block.AsMemory(0, length), offset);
        }
        RandomAccess.FlushToDisk(file);
        return hash.GetHashAndReset();
    }

    /// <summary>
    /// "Manifests already cached": each holder's cache (in its state folder) gets the manifest through the client's own
    /// <see cref="ManifestCache"/>, so the holders answer the server's query from the cache instead of hashing.
    /// </summary>
    private async Task CacheManifestsAsync(string folder, string path)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, holders), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            async (index, token) => await new ManifestCache(Path.Combine(HolderFolder(folder, index), "state")).GetOrBuildAsync(path, FileName, token));
    }

    private static async Task<byte[]> HashFileAsync(string path)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        return await SHA256.HashDataAsync(file);
    }

    /// <summary>Waits (at most <paramref name="limit"/>) until the processes together use under 5 % of a core for 300 ms.</summary>
    private static async Task SettleAsync(int[] pids, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var before = pids.Sum(pid => ProcStat.CpuTime(pid).Ticks);
            await Task.Delay(300);
            if (TimeSpan.FromTicks(pids.Sum(pid => ProcStat.CpuTime(pid).Ticks) - before).TotalMilliseconds <= 15)
            {
                return;
            }
        }
    }
}
