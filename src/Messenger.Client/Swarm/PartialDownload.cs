using System.Buffers;
using System.Security.Cryptography;
using Messenger.Protocol.Contracts;
using Microsoft.Win32.SafeHandles;

namespace Messenger.Client.Swarm;

/// <summary>
/// A download in progress: a preallocated (sparse) file at downloads/.partial/&lt;fileId&gt;.part, written chunk by
/// chunk at 64-bit offsets after each chunk's SHA-256 is checked, and a .chunks record (one byte per chunk) of what is
/// done. The record is only a hint: when a download is resumed, every chunk it marks done is verified from disk again,
/// so it needs no fsync per chunk. When complete, the file is moved to downloads/&lt;name&gt; (never over an
/// existing file) without being hashed again.
/// </summary>
public sealed class PartialDownload : IAsyncDisposable
{
    private const string PartialFolder = ".partial";

    private readonly string downloadDirectory;
    private readonly string name;
    private readonly SafeFileHandle data;
    private readonly SafeFileHandle record;
    private readonly bool[] done;
    private readonly Lock gate = new();
    private int completed;

    private PartialDownload(string downloadDirectory, string name, FileManifest manifest, string fileId, string partPath, SafeFileHandle data, SafeFileHandle record, bool[] done)
    {
        this.downloadDirectory = downloadDirectory;
        this.name = name;
        Manifest = manifest;
        FileId = fileId;
        PartPath = partPath;
        this.data = data;
        this.record = record;
        this.done = done;
        completed = done.Count(d => d);
    }

    public FileManifest Manifest { get; }

    public string FileId { get; }

    /// <summary>The partial file: verified chunks can be served from it while the download goes on.</summary>
    public string PartPath { get; }

    public int ChunkCount => done.Length;

    public int CompletedCount => Volatile.Read(ref completed);

    public bool IsComplete => CompletedCount == ChunkCount;

    public bool Has(int chunk)
    {
        lock (gate)
        {
            return chunk >= 0 && chunk < done.Length && done[chunk];
        }
    }

    public IReadOnlyList<int> CompletedChunks()
    {
        lock (gate)
        {
            return Enumerable.Range(0, done.Length).Where(i => done[i]).ToList();
        }
    }

    public static bool TargetExists(string downloadDirectory, string name) => File.Exists(Path.Combine(downloadDirectory, name));

    public static async Task<PartialDownload> OpenAsync(string downloadDirectory, string name, FileManifest manifest, string fileId, CancellationToken cancellationToken)
    {
        if (!ShareDirectory.IsSafeName(name, out var error))
        {
            throw new ArgumentException(error, nameof(name));
        }
        var folder = Path.Combine(downloadDirectory, PartialFolder);
        Directory.CreateDirectory(folder);
        var partPath = Path.Combine(folder, fileId + ".part");
        var recordPath = Path.Combine(folder, fileId + ".chunks");
        var count = manifest.ChunkHashes.Length;
        var data = File.OpenHandle(partPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, FileOptions.Asynchronous);
        var record = File.OpenHandle(recordPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        try
        {
            if (RandomAccess.GetLength(data) != manifest.Size)
            {
                RandomAccess.SetLength(data, manifest.Size);
            }
            var marks = new byte[count];
            var markedBytes = RandomAccess.GetLength(record) >= count ? RandomAccess.Read(record, marks, 0) : 0;
            var done = new bool[count];
            if (markedBytes == count)
            {
                // Taken over from an interrupted run: a chunk counts only if its bytes on disk still match its hash.
                var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, manifest.ChunkSize));
                try
                {
                    for (var chunk = 0; chunk < count; chunk++)
                    {
                        if (marks[chunk] == 1)
                        {
                            var length = ChunkSizing.LengthOf(manifest.Size, manifest.ChunkSize, chunk);
                            var read = await RandomAccess.ReadAsync(data, buffer.AsMemory(0, length), (long)chunk * manifest.ChunkSize, cancellationToken);
                            done[chunk] = read == length && Matches(buffer.AsSpan(0, length), manifest.ChunkHashes[chunk]);
                        }
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            RandomAccess.SetLength(record, count);
            RandomAccess.Write(record, done.Select(d => d ? (byte)1 : (byte)0).ToArray(), 0);
            return new PartialDownload(downloadDirectory, name, manifest, fileId, partPath, data, record, done);
        }
        catch
        {
            data.Dispose();
            record.Dispose();
            throw;
        }
    }

    /// <summary>Verifies and writes one chunk; false (nothing written) when its length or hash is wrong. Thread-safe.</summary>
    public async Task<bool> WriteChunkAsync(int chunk, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (chunk < 0 || chunk >= ChunkCount || bytes.Length != ChunkSizing.LengthOf(Manifest.Size, Manifest.ChunkSize, chunk)
            || !Matches(bytes.Span, Manifest.ChunkHashes[chunk]))
        {
            return false;
        }
        if (Has(chunk))
        {
            return true;
        }
        await RandomAccess.WriteAsync(data, bytes, (long)chunk * Manifest.ChunkSize, cancellationToken);
        lock (gate)
        {
            if (!done[chunk])
            {
                done[chunk] = true;
                completed++;
                RandomAccess.Write(record, new byte[] { 1 }, chunk);
            }
        }
        return true;
    }

    /// <summary>Moves the finished file to downloads/&lt;name&gt;; refuses to overwrite. Returns the final path.</summary>
    public Task<string> CompleteAsync(CancellationToken cancellationToken)
    {
        if (!IsComplete)
        {
            throw new InvalidOperationException($"{CompletedCount} of {ChunkCount} chunks are here; the download is not complete.");
        }
        var target = Path.Combine(downloadDirectory, name);
        if (File.Exists(target))
        {
            throw new IOException($"{target} already exists; it is never overwritten.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        RandomAccess.FlushToDisk(data);
        data.Dispose();
        record.Dispose();
        File.Move(PartPath, target, overwrite: false);
        File.Delete(Path.ChangeExtension(PartPath, ".chunks"));
        return Task.FromResult(target);
    }

    /// <summary>Reads chunk <paramref name="chunk"/> of a file (complete, or a download's .part) at its 64-bit offset.</summary>
    public static async Task<int> ReadChunkAsync(string path, FileManifest manifest, int chunk, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var length = ChunkSizing.LengthOf(manifest.Size, manifest.ChunkSize, chunk);
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.Asynchronous);
        var total = 0;
        while (total < length)
        {
            var read = await RandomAccess.ReadAsync(handle, buffer[total..length], ((long)chunk * manifest.ChunkSize) + total, cancellationToken);
            if (read == 0)
            {
                throw new IOException($"{path} is shorter than its manifest says.");
            }
            total += read;
        }
        return total;
    }

    private static bool Matches(ReadOnlySpan<byte> bytes, string expectedHex)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash) == expectedHex;
    }

    public ValueTask DisposeAsync()
    {
        data.Dispose();
        record.Dispose();
        return ValueTask.CompletedTask;
    }
}
