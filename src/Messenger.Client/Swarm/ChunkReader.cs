using Messenger.Protocol.Contracts;
using Microsoft.Win32.SafeHandles;

namespace Messenger.Client.Swarm;

/// <summary>
/// Reads chunks of a complete file or of a download's .part file at their 64-bit offsets, for serving them to other
/// downloaders (a .part file serves the chunks it has: a downloader is a holder too).
/// </summary>
public static class ChunkReader
{
    /// <summary>
    /// Reads chunk <paramref name="chunk"/> of a complete file or of a download's .part file at its 64-bit offset into
    /// <paramref name="buffer"/> (at least the chunk's length) and returns the chunk's length. For serving chunks.
    /// </summary>
    public static async Task<int> ReadChunkAsync(string path, FileManifest manifest, int chunk, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        using var handle = OpenForServing(path);
        return await ReadChunkAsync(handle, manifest, chunk, buffer, cancellationToken);
    }

    /// <summary>Opens a complete file or a .part file for <see cref="ReadChunkAsync(SafeFileHandle, FileManifest, int, Memory{byte}, CancellationToken)"/>.</summary>
    public static SafeFileHandle OpenForServing(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, FileOptions.Asynchronous);

    /// <summary>As above, from a handle kept open across chunks (a server of many chunks opens the file once).</summary>
    public static async Task<int> ReadChunkAsync(SafeFileHandle handle, FileManifest manifest, int chunk, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(manifest.ChunkSize);
        ArgumentOutOfRangeException.ThrowIfNegative(chunk);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(chunk, ChunkSizing.ChunkCount(manifest.Size, manifest.ChunkSize));
        var length = ChunkSizing.LengthOf(manifest.Size, manifest.ChunkSize, chunk);
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, length, nameof(buffer));
        if (await ReadFullyAsync(handle, buffer[..length], ChunkSizing.OffsetOf(manifest.ChunkSize, chunk), cancellationToken) < length)
        {
            throw new IOException($"The file is shorter than its manifest says; chunk {chunk} cannot be read.");
        }
        return length;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the file ends; how many bytes were read.</summary>
    public static async Task<int> ReadFullyAsync(SafeFileHandle handle, Memory<byte> buffer, long offset, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await RandomAccess.ReadAsync(handle, buffer[total..], offset + total, cancellationToken);
            if (read == 0)
            {
                break;
            }
            total += read;
        }
        return total;
    }
}
