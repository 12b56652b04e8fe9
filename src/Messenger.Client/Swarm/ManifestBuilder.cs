using System.Buffers;
using System.Security.Cryptography;
using Messenger.Protocol.Contracts;

namespace Messenger.Client.Swarm;

/// <summary>Hashes a file into its manifest: one sequential read with one reused buffer, so memory does not grow with the file.</summary>
public static class ManifestBuilder
{
    public static async Task<FileManifest> BuildAsync(string path, string name, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        var size = file.Length;
        var chunkSize = ChunkSizing.ChunkSizeFor(size);
        var hashes = new string[ChunkSizing.ChunkCount(size, chunkSize)];
        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
        try
        {
            for (var chunk = 0; chunk < hashes.Length; chunk++)
            {
                var length = ChunkSizing.LengthOf(size, chunkSize, chunk);
                await file.ReadExactlyAsync(buffer.AsMemory(0, length), cancellationToken);
                hashes[chunk] = Convert.ToHexStringLower(SHA256.HashData(buffer.AsSpan(0, length)));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new FileManifest(name, size, chunkSize, hashes);
    }

    public static string FileIdOf(FileManifest manifest) => FileIds.Of(manifest);
}
