using System.Numerics;

namespace Messenger.Client.Swarm;

/// <summary>
/// The one rule for chunk sizes (docs/PROTOCOL.md §7), so the same content gets the same manifest and id everywhere:
/// the smallest power of two ≥ ceil(size / 1024), clamped to 64 KiB … 1 MiB. A file of up to 1 GiB therefore has at
/// most 1024 chunks; a larger one keeps 1 MiB chunks (one chunk must fit one frame, ProtocolLimits.MaxPayloadLength)
/// and simply has more of them. An empty file has no chunks.
/// </summary>
public static class ChunkSizing
{
    public const int MinChunkSize = 64 * 1024;
    public const int MaxChunkSize = 1024 * 1024;

    /// <summary>Aimed-for number of chunks: few enough for a small manifest, enough for several peers to share the work.</summary>
    private const int TargetChunkCount = 1024;

    public static int ChunkSizeFor(long fileSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        var wanted = (ulong)Math.Max(1, (fileSize / TargetChunkCount) + (fileSize % TargetChunkCount == 0 ? 0 : 1));
        return (int)Math.Clamp(BitOperations.RoundUpToPowerOf2(wanted), (ulong)MinChunkSize, (ulong)MaxChunkSize);
    }

    /// <summary>ceil(fileSize / chunkSize), computed without overflow for sizes near long.MaxValue.</summary>
    public static int ChunkCount(long fileSize, int chunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunkSize);
        return checked((int)((fileSize / chunkSize) + (fileSize % chunkSize == 0 ? 0 : 1)));
    }

    /// <summary>Like <see cref="ChunkCount"/>, but -1 instead of an exception when the count does not fit an int.</summary>
    internal static long ChunkCountOrMinusOne(long fileSize, int chunkSize)
    {
        var count = (fileSize / chunkSize) + (fileSize % chunkSize == 0 ? 0 : 1);
        return count <= int.MaxValue ? count : -1;
    }

    /// <summary>Byte offset of a chunk: always 64-bit, files of several GiB have chunks past 4 GiB.</summary>
    public static long OffsetOf(int chunkSize, int chunk) => (long)chunk * chunkSize;

    /// <summary>Bytes in chunk <paramref name="chunk"/> (the last one may be short).</summary>
    public static int LengthOf(long fileSize, int chunkSize, int chunk) =>
        (int)Math.Clamp(fileSize - OffsetOf(chunkSize, chunk), 0, chunkSize);
}
