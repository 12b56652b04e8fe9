using System.Security.Cryptography;
using Messenger.Protocol.Contracts;
using Microsoft.Win32.SafeHandles;

namespace Messenger.Client.Swarm;

/// <summary>
/// A download in progress (STYLE.md 11: verify before writing, write into a temporary file, rename when complete, keep
/// it to resume). The data lives in downloads/.partial/&lt;fileId&gt;.part, preallocated to the full size (sparse where
/// the file system allows) and written chunk by chunk at 64-bit offsets after each chunk's SHA-256 is checked. A
/// sidecar &lt;fileId&gt;.chunks holds one byte per chunk (1 = done): one-byte records cannot be torn by a crash.
/// </summary>
/// <remarks>
/// Durability: the sidecar is only a hint, because a resumed download verifies every chunk it marks done against its
/// hash before counting it. So there is no fsync per chunk: the data and then the sidecar are flushed to disk every
/// <see cref="FlushEveryChunks"/> chunks and on dispose, which bounds what a power cut can cost to that many chunks
/// fetched again. Locking: <c>gate</c> guards <c>done</c> and the counters; file writes happen outside it (positional
/// writes to distinct offsets need no lock). The sidecar is opened without sharing, so a second
/// <see cref="OpenAsync"/> of the same file id (in this or another process) fails instead of racing this one.
/// </remarks>
public sealed class PartialDownload : IAsyncDisposable
{
    /// <summary>At most this many verified chunks (≤ 64 MiB at 1 MiB chunks) are not yet flushed to disk.</summary>
    public const int FlushEveryChunks = 64;

    private const byte DoneMark = 1;

    private readonly string downloadDirectory;
    private readonly string name;
    private readonly string recordPath;
    private readonly SafeFileHandle data;
    private readonly SafeFileHandle record;
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2213", Justification =
        "Disposed in Close, and when a direct write fails, through Interlocked.Exchange (which the analyzer does not follow).")]
    private SafeFileHandle? direct;
    private readonly ChunkHashes expectedHashes;
    private readonly bool[] done;
    private readonly Lock gate = new();
    private int completed;
    private int unflushed;
    private bool closed;

    private PartialDownload(string downloadDirectory, string name, FileManifest manifest, string fileId, string partPath, string recordPath,
        SafeFileHandle data, SafeFileHandle record, ChunkHashes expectedHashes, bool[] done)
    {
        this.downloadDirectory = downloadDirectory;
        this.name = name;
        this.recordPath = recordPath;
        this.data = data;
        this.record = record;
        direct = DirectWrites.TryOpen(partPath);
        this.expectedHashes = expectedHashes;
        this.done = done;
        Manifest = manifest;
        FileId = fileId;
        PartPath = partPath;
        completed = done.Count(d => d);
    }

    public FileManifest Manifest { get; }

    public string FileId { get; }

    /// <summary>The partial file: chunks already verified can be served from it while the download goes on.</summary>
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
            var chunks = new List<int>(completed);
            for (var chunk = 0; chunk < done.Length; chunk++)
            {
                if (done[chunk])
                {
                    chunks.Add(chunk);
                }
            }
            return chunks;
        }
    }

    /// <summary>
    /// Opens (or resumes) the download of <paramref name="manifest"/>. The name must already be safe
    /// (<see cref="ShareDirectory.IsSafeName"/>), the manifest well formed and <paramref name="fileId"/> its id; these
    /// come from the network, so anything else is an <see cref="ArgumentException"/>, before any file is touched.
    /// </summary>
    public static async Task<PartialDownload> OpenAsync(string downloadDirectory, string name, FileManifest manifest, string fileId,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(downloadDirectory);
        DownloadLayout.ThrowIfUnsafe(name);
        if (!ManifestBuilder.IsWellFormed(manifest, out var error))
        {
            throw new ArgumentException(error, nameof(manifest));
        }
        // The id becomes a file name: only the manifest's own id (64 hex digits) is accepted.
        if (fileId != ManifestBuilder.FileIdOf(manifest))
        {
            throw new ArgumentException($"The file id given for '{name}' is not the id of its manifest.", nameof(fileId));
        }
        var count = manifest.ChunkHashes.Length;
        var expected = new ChunkHashes(manifest);

        var root = Path.GetFullPath(downloadDirectory);
        var folder = Path.Combine(root, DownloadLayout.PartialFolder);
        Directory.CreateDirectory(folder);
        var partPath = Path.Combine(folder, fileId + ".part");
        var recordPath = Path.Combine(folder, fileId + ".chunks");
        var record = File.OpenHandle(recordPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        SafeFileHandle? data = null;
        try
        {
            data = File.OpenHandle(partPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, FileOptions.Asynchronous);
            if (RandomAccess.GetLength(data) != manifest.Size)
            {
                // A fresh file (or one of another length, whose marks cannot be trusted anyway) gets its full size now:
                // sparse on Linux, so a 5 GiB download does not write 5 GiB of zeros first.
                RandomAccess.SetLength(data, manifest.Size);
            }
            var done = await expected.VerifyAsync(data, ReadMarks(record, count), cancellationToken);
            // The sidecar now says exactly what was verified: a chunk that failed is not marked again.
            var marks = new byte[count];
            for (var chunk = 0; chunk < count; chunk++)
            {
                marks[chunk] = done[chunk] ? DoneMark : (byte)0;
            }
            RandomAccess.SetLength(record, count);
            await RandomAccess.WriteAsync(record, marks, 0, cancellationToken);
            return new PartialDownload(root, name, manifest, fileId, partPath, recordPath, data, record, expected, done);
        }
        catch
        {
            data?.Dispose();
            record.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Verifies chunk <paramref name="chunk"/> and writes it at its offset. False, and nothing written, when its length
    /// or SHA-256 is wrong (the sender is to blame); true when it is stored or was already stored. Thread-safe.
    /// </summary>
    public async Task<bool> WriteChunkAsync(int chunk, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref closed), this);
        if (chunk < 0 || chunk >= ChunkCount || data.Length != ChunkSizing.LengthOf(Manifest.Size, Manifest.ChunkSize, chunk)
            || !expectedHashes.Matches(data.Span, chunk))
        {
            return false;
        }
        if (Has(chunk))
        {
            return true;
        }
        // Two peers delivering the same chunk at once both write the same verified bytes: harmless, counted once below.
        await WriteAsync(data, ChunkSizing.OffsetOf(Manifest.ChunkSize, chunk), cancellationToken);
        lock (gate)
        {
            if (done[chunk])
            {
                return true;
            }
            done[chunk] = true;
            completed++;
        }
        RandomAccess.Write(record, [DoneMark], chunk);
        if (Interlocked.Increment(ref unflushed) >= FlushEveryChunks)
        {
            Flush();
        }
        return true;
    }

    /// <summary>Without the page cache where the bytes allow it (<see cref="DirectWrites"/>), else through it.</summary>
    private async Task WriteAsync(ReadOnlyMemory<byte> bytes, long offset, CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref direct) is { } handle && DirectWrites.CanWrite(bytes, offset, out var pin))
        {
            using (pin)
            {
                try
                {
                    await RandomAccess.WriteAsync(handle, bytes, offset, cancellationToken);
                    return;
                }
                catch (IOException)
                {
                    // The file system took the handle but not the write (EINVAL): from now on through the page cache.
                    if (Interlocked.CompareExchange(ref direct, null, handle) == handle)
                    {
                        handle.Dispose();
                    }
                }
            }
        }
        await RandomAccess.WriteAsync(data, bytes, offset, cancellationToken);
    }

    /// <summary>
    /// Moves the finished file to downloads/&lt;name&gt; (creating subfolders) and returns its path. It is not hashed
    /// again: every chunk was verified when it arrived. Refuses to replace an existing file (IOException); the partial
    /// file then stays where it is, so a later run can complete it.
    /// </summary>
    public Task<string> CompleteAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref closed), this);
        if (!IsComplete)
        {
            throw new InvalidOperationException($"{CompletedCount} of {ChunkCount} chunks of '{name}' are here; the download is not complete.");
        }
        var target = DownloadLayout.TargetPath(downloadDirectory, name);
        if (Path.Exists(target))
        {
            throw new IOException($"{target} already exists; a download never overwrites a file.");
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // On disk before the rename, so a crash cannot leave a finished-looking file with missing bytes.
        Flush();
        Close();
        try
        {
            File.Move(PartPath, target, overwrite: false);
        }
        catch (IOException) when (Path.Exists(target))
        {
            throw new IOException($"{target} appeared while the download was finishing; a download never overwrites a file.");
        }
        File.Delete(recordPath);
        return Task.FromResult(target);
    }

    /// <summary>Flushes what is written and closes the files; the download can be resumed by opening it again.</summary>
    public ValueTask DisposeAsync()
    {
        if (!Volatile.Read(ref closed))
        {
            try
            {
                Flush();
            }
            catch (IOException)
            {
                // Nothing more to do: a resumed download verifies every chunk again.
            }
            Close();
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Which chunks the sidecar marks done (none when it is missing or of another length).</summary>
    private static bool[] ReadMarks(SafeFileHandle record, int count)
    {
        var marked = new bool[count];
        var marks = new byte[count];
        if (count > 0 && RandomAccess.GetLength(record) == count && RandomAccess.Read(record, marks, 0) == count)
        {
            for (var chunk = 0; chunk < count; chunk++)
            {
                marked[chunk] = marks[chunk] == DoneMark;
            }
        }
        return marked;
    }

    /// <summary>To the disk, not just the OS cache: what was verified survives a power cut (up to the last flush).</summary>
    private void Flush()
    {
        Interlocked.Exchange(ref unflushed, 0);
        RandomAccess.FlushToDisk(data);
        RandomAccess.FlushToDisk(record);
    }

    private void Close()
    {
        lock (gate)
        {
            closed = true;
        }
        Interlocked.Exchange(ref direct, null)?.Dispose();
        data.Dispose();
        record.Dispose();
    }
}
