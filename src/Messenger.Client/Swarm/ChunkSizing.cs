using System.Numerics;

namespace Messenger.Client.Swarm;

/// <summary>
/// The one rule for chunk sizes (docs/PROTOCOL.md §7), so the same content gets the same manifest and id everywhere:
/// the smallest power of two ≥ ceil(size / 1024), clamped to 64 KiB … 1 MiB.
/// </summary>
public static class ChunkSizing
{
    public const int MinChunkSize = 64 * 1024;
    public const int MaxChunkSize = 1024 * 1024;

    public static int ChunkSizeFor(long fileSize)
    {
        var wanted = (ulong)Math.Max(1, (fileSize + 1023) / 1024);
        return (int)Math.Clamp(BitOperations.RoundUpToPowerOf2(wanted), (ulong)MinChunkSize, (ulong)MaxChunkSize);
    }

    public static int ChunkCount(long fileSize, int chunkSize) => checked((int)((fileSize + chunkSize - 1) / chunkSize));

    /// <summary>Bytes in chunk <paramref name="chunk"/> (the last one may be short).</summary>
    public static int LengthOf(long fileSize, int chunkSize, int chunk) => (int)Math.Min(chunkSize, fileSize - ((long)chunk * chunkSize));
}
