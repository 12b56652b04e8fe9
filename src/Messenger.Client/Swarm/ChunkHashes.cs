using System.Buffers;
using System.Security.Cryptography;
using Messenger.Protocol.Contracts;
using Microsoft.Win32.SafeHandles;

namespace Messenger.Client.Swarm;

/// <summary>The SHA-256 of every chunk of a manifest, decoded once, and the checks of bytes against them.</summary>
public sealed class ChunkHashes
{
    private readonly FileManifest manifest;
    private readonly byte[] expected;

    public ChunkHashes(FileManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        this.manifest = manifest;
        expected = new byte[manifest.ChunkHashes.Length * SHA256.HashSizeInBytes];
        for (var chunk = 0; chunk < manifest.ChunkHashes.Length; chunk++)
        {
            Convert.FromHexString(manifest.ChunkHashes[chunk], Of(chunk), out _, out _);
        }
    }

    /// <summary>Whether <paramref name="bytes"/> are chunk <paramref name="chunk"/>.</summary>
    public bool Matches(ReadOnlySpan<byte> bytes, int chunk)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return hash.SequenceEqual(Of(chunk));
    }

    /// <summary>
    /// Which of the chunks <paramref name="marked"/> done are really in <paramref name="data"/>: each is read back and
    /// hashed, since a resumed download trusts no record of what it wrote before.
    /// </summary>
    public async Task<bool[]> VerifyAsync(SafeFileHandle data, bool[] marked, CancellationToken cancellationToken)
    {
        var done = new bool[marked.Length];
        if (!marked.Contains(true))
        {
            return done;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(manifest.ChunkSize);
        try
        {
            for (var chunk = 0; chunk < marked.Length; chunk++)
            {
                if (!marked[chunk])
                {
                    continue;
                }
                var length = ChunkSizing.LengthOf(manifest.Size, manifest.ChunkSize, chunk);
                var bytes = buffer.AsMemory(0, length);
                done[chunk] = await ChunkReader.ReadFullyAsync(data, bytes, ChunkSizing.OffsetOf(manifest.ChunkSize, chunk), cancellationToken) == length
                    && Matches(bytes.Span, chunk);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return done;
    }

    private Span<byte> Of(int chunk) => expected.AsSpan(chunk * SHA256.HashSizeInBytes, SHA256.HashSizeInBytes);
}
