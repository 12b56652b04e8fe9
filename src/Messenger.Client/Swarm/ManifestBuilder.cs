using System.Buffers;
using System.Security.Cryptography;
using Messenger.Protocol.Contracts;

namespace Messenger.Client.Swarm;

/// <summary>
/// Hashes a file into its manifest: one sequential read through one reused buffer of one chunk, so memory does not
/// grow with the file (the only allocation per chunk is its hash string).
/// </summary>
public static class ManifestBuilder
{
    /// <summary>Hex characters in a SHA-256.</summary>
    public const int HashHexLength = SHA256.HashSizeInBytes * 2;

    public static async Task<FileManifest> BuildAsync(string path, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(name);
        // bufferSize 0: FileStream adds no buffer of its own, reads go straight into ours.
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        var size = file.Length;
        var chunkSize = ChunkSizing.ChunkSizeFor(size);
        var hashes = new string[ChunkSizing.ChunkCount(size, chunkSize)];
        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
        try
        {
            for (var chunk = 0; chunk < hashes.Length; chunk++)
            {
                var length = ChunkSizing.LengthOf(size, chunkSize, chunk);
                if (await file.ReadAtLeastAsync(buffer.AsMemory(0, length), length, throwOnEndOfStream: false, cancellationToken) < length)
                {
                    throw new IOException($"{path} became shorter while it was being hashed; try again when it is no longer being written.");
                }
                hashes[chunk] = HashHex(buffer.AsSpan(0, length));
            }
            if (await file.ReadAsync(buffer.AsMemory(0, 1), cancellationToken) != 0)
            {
                throw new IOException($"{path} grew while it was being hashed; try again when it is no longer being written.");
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new FileManifest(name, size, chunkSize, hashes);
    }

    /// <summary>
    /// Lowercase hex SHA-256 of the manifest's canonical JSON (source-generated, so property order and escaping are
    /// fixed): the same content under the same name has the same id on every client. One definition, in the protocol.
    /// </summary>
    public static string FileIdOf(FileManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        return FileIds.Of(manifest);
    }

    /// <summary>
    /// Whether a manifest (which may come from the network) is safe to size buffers and files from: a safe name, a
    /// non-negative size, a chunk size that fits a frame, one 64-character lowercase hex hash per chunk.
    /// </summary>
    public static bool IsWellFormed(FileManifest? manifest, out string error)
    {
        error = "";
        if (manifest is null || manifest.Name is null || manifest.ChunkHashes is null)
        {
            error = "The file description is incomplete.";
        }
        else if (!ShareDirectory.IsSafeName(manifest.Name, out var nameError))
        {
            error = nameError;
        }
        else if (manifest.Size < 0 || manifest.ChunkSize is < ChunkSizing.MinChunkSize or > ChunkSizing.MaxChunkSize)
        {
            error = $"'{manifest.Name}' has an impossible size ({manifest.Size}) or chunk size ({manifest.ChunkSize}).";
        }
        else if (ChunkSizing.ChunkCountOrMinusOne(manifest.Size, manifest.ChunkSize) != manifest.ChunkHashes.Length)
        {
            error = $"'{manifest.Name}' lists {manifest.ChunkHashes.Length} chunk hashes for {manifest.Size} bytes in chunks of {manifest.ChunkSize}.";
        }
        else if (!manifest.ChunkHashes.All(IsHashHex))
        {
            error = $"'{manifest.Name}' has a chunk hash that is not {HashHexLength} lowercase hex digits.";
        }
        return error.Length == 0;
    }

    internal static bool IsHashHex(string? hex) =>
        hex is { Length: HashHexLength } && hex.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f');

    internal static string HashHex(ReadOnlySpan<byte> bytes)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(bytes, hash);
        return Convert.ToHexStringLower(hash);
    }
}
