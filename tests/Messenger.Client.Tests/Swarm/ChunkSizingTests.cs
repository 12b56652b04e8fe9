using Messenger.Client.Swarm;

namespace Messenger.Client.Tests.Swarm;

[TestClass]
public sealed class ChunkSizingTests
{
    private const long KiB = 1024;
    private const long MiB = 1024 * KiB;
    private const long GiB = 1024 * MiB;

    [TestMethod]
    [DataRow(0L, 65536, 0)]
    [DataRow(1L, 65536, 1)]
    [DataRow(64 * KiB, 65536, 1)]
    [DataRow((64 * KiB) + 1, 65536, 2)]
    [DataRow((3 * MiB) + 12345, 65536, 49)]
    [DataRow(64 * MiB, 65536, 1024)]
    [DataRow((64 * MiB) + 1, 131072, 513)]
    [DataRow(128 * MiB, 131072, 1024)]
    [DataRow(1 * GiB, 1048576, 1024)]
    [DataRow((1 * GiB) + 1, 1048576, 1025)]
    [DataRow(5 * GiB, 1048576, 5120)]
    [DataRow((5 * GiB) + 1000, 1048576, 5121)]
    public void ChunkSizeIsTheSmallestPowerOfTwoForAboutAThousandChunksClampedTo64KiBAnd1MiB(long size, int chunkSize, int chunks)
    {
        Assert.AreEqual(chunkSize, ChunkSizing.ChunkSizeFor(size));
        Assert.AreEqual(chunks, ChunkSizing.ChunkCount(size, chunkSize));
    }

    [TestMethod]
    public void TheLastChunkHoldsTheRemainderAndOffsetsPastFourGibibytesDoNotOverflow()
    {
        var size = (5 * GiB) + 1000;
        var chunkSize = ChunkSizing.ChunkSizeFor(size);
        var last = ChunkSizing.ChunkCount(size, chunkSize) - 1;
        Assert.AreEqual(1000, ChunkSizing.LengthOf(size, chunkSize, last));
        Assert.AreEqual(chunkSize, ChunkSizing.LengthOf(size, chunkSize, last - 1));
        Assert.AreEqual(5 * GiB, ChunkSizing.OffsetOf(chunkSize, last));
    }

    [TestMethod]
    public void NegativeSizesAndChunkSizesAreRefused()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ChunkSizing.ChunkSizeFor(-1));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => ChunkSizing.ChunkCount(10, 0));
    }
}
