using System.Security.Cryptography;
using Messenger.Client.Swarm;
using Messenger.Protocol.Contracts;

namespace Messenger.Client.Tests.Swarm;

[TestClass]
public sealed class PartialDownloadTests : IDisposable
{
    private SwarmTestFolder folder = null!;

    [TestInitialize]
    public void CreateFolder() => folder = new SwarmTestFolder();

    /// <summary>MSTest disposes the class after each test: the folder goes with it.</summary>
    public void Dispose() => folder.Dispose();

    private string Downloads => folder.PathOf("downloads");

    [TestMethod]
    public async Task ChunksWrittenOutOfOrderCompleteToAByteForByteCopy()
    {
        var (bytes, manifest) = await SourceAsync(300_000, "copy.bin");
        await using var partial = await OpenAsync("copy.bin", manifest);
        foreach (var chunk in new[] { 3, 0, 4, 2, 1 })
        {
            Assert.IsFalse(partial.IsComplete);
            Assert.IsTrue(await partial.WriteChunkAsync(chunk, Chunk(bytes, manifest, chunk), CancellationToken.None));
            Assert.IsTrue(partial.Has(chunk));
        }
        Assert.IsTrue(partial.IsComplete);
        CollectionAssert.AreEqual(new[] { 0, 1, 2, 3, 4 }, partial.CompletedChunks().ToArray());

        var path = await partial.CompleteAsync(CancellationToken.None);
        Assert.AreEqual(Path.Combine(Downloads, "copy.bin"), path);
        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(path));
        Assert.IsFalse(Directory.EnumerateFiles(Path.Combine(Downloads, ".partial")).Any(), "neither .part nor .chunks is left behind");
    }

    [TestMethod]
    public async Task AChunkWithAWrongHashOrLengthIsRefusedAndNothingIsWritten()
    {
        var (bytes, manifest) = await SourceAsync(300_000, "copy.bin");
        await using var partial = await OpenAsync("copy.bin", manifest);
        var wrongBytes = bytes.AsMemory(1, 65536);
        Assert.IsFalse(await partial.WriteChunkAsync(0, wrongBytes, CancellationToken.None), "wrong hash");
        Assert.IsFalse(await partial.WriteChunkAsync(0, bytes.AsMemory(0, 100), CancellationToken.None), "too short");
        Assert.IsFalse(await partial.WriteChunkAsync(4, bytes.AsMemory(0, 65536), CancellationToken.None), "the last chunk is short");
        Assert.IsFalse(await partial.WriteChunkAsync(5, bytes.AsMemory(0, 10), CancellationToken.None), "no such chunk");
        Assert.IsFalse(await partial.WriteChunkAsync(-1, bytes.AsMemory(0, 10), CancellationToken.None), "no such chunk");

        Assert.AreEqual(0, partial.CompletedCount);
        Assert.IsFalse(partial.Has(0));
        var onDisk = new byte[65536];
        await ChunkReader.ReadChunkAsync(partial.PartPath, manifest, 0, onDisk, CancellationToken.None);
        Assert.IsTrue(onDisk.All(b => b == 0), "the refused bytes never reached the file");
    }

    [TestMethod]
    public async Task ConcurrentDeliveriesCountEveryChunkOnceAndCrossTheFlushInterval()
    {
        // 70 chunks: more than FlushEveryChunks, so the periodic flush runs while writers race.
        var (bytes, manifest) = await SourceAsync((70 * 65536) - 5, "many.bin");
        await using var partial = await OpenAsync("many.bin", manifest);
        var deliveries = Enumerable.Range(0, manifest.ChunkHashes.Length).Concat(Enumerable.Range(0, 20))
            .Select(chunk => Task.Run(() => partial.WriteChunkAsync(chunk, Chunk(bytes, manifest, chunk), CancellationToken.None)));
        Assert.IsTrue((await Task.WhenAll(deliveries)).All(ok => ok));
        Assert.AreEqual(70, partial.CompletedCount);
        Assert.IsTrue(await partial.WriteChunkAsync(7, Chunk(bytes, manifest, 7), CancellationToken.None), "a chunk already here is accepted again");
        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(await partial.CompleteAsync(CancellationToken.None)));
    }

    [TestMethod]
    public async Task AResumedDownloadKeepsVerifiedChunksAndDropsOnesCorruptedOnDisk()
    {
        var (bytes, manifest) = await SourceAsync(4 * 65536, "r.bin");
        string partPath;
        await using (var first = await OpenAsync("r.bin", manifest))
        {
            for (var chunk = 0; chunk < 3; chunk++)
            {
                Assert.IsTrue(await first.WriteChunkAsync(chunk, Chunk(bytes, manifest, chunk), CancellationToken.None));
            }
            partPath = first.PartPath;
        }
        await using (var corrupt = new FileStream(partPath, FileMode.Open, FileAccess.Write))
        {
            corrupt.Position = 65536 + 10;
            corrupt.WriteByte((byte)(bytes[65536 + 10] ^ 0xFF));
        }

        await using (var resumed = await OpenAsync("r.bin", manifest))
        {
            CollectionAssert.AreEqual(new[] { 0, 2 }, resumed.CompletedChunks().ToArray());
            Assert.AreEqual(2, resumed.CompletedCount);
            foreach (var chunk in new[] { 1, 3 })
            {
                Assert.IsTrue(await resumed.WriteChunkAsync(chunk, Chunk(bytes, manifest, chunk), CancellationToken.None));
            }
            CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(await resumed.CompleteAsync(CancellationToken.None)));
        }
    }

    [TestMethod]
    public async Task CompleteRefusesToOverwriteAnExistingFileAndKeepsThePartialForLater()
    {
        var (bytes, manifest) = await SourceAsync(100_000, "taken.bin");
        var existing = await folder.WriteAsync("downloads/taken.bin", [42]);
        Assert.IsTrue(DownloadLayout.TargetExists(Downloads, "taken.bin"));
        await using (var partial = await OpenAsync("taken.bin", manifest))
        {
            await partial.WriteChunkAsync(0, Chunk(bytes, manifest, 0), CancellationToken.None);
            await partial.WriteChunkAsync(1, Chunk(bytes, manifest, 1), CancellationToken.None);
            var refused = await Assert.ThrowsExactlyAsync<IOException>(() => partial.CompleteAsync(CancellationToken.None));
            StringAssert.Contains(refused.Message, "already exists");
        }
        CollectionAssert.AreEqual(new byte[] { 42 }, await File.ReadAllBytesAsync(existing));

        File.Delete(existing);
        await using var later = await OpenAsync("taken.bin", manifest);
        Assert.IsTrue(later.IsComplete, "both chunks were kept and verified again");
        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(await later.CompleteAsync(CancellationToken.None)));
    }

    [TestMethod]
    public async Task AnIncompleteDownloadCannotBeCompleted()
    {
        var (_, manifest) = await SourceAsync(100_000, "half.bin");
        await using var partial = await OpenAsync("half.bin", manifest);
        await Assert.ThrowsExactlyAsync<InvalidOperationException>(() => partial.CompleteAsync(CancellationToken.None));
        Assert.IsFalse(DownloadLayout.TargetExists(Downloads, "half.bin"));
    }

    [TestMethod]
    public async Task AnEmptyFileIsCompleteAtOnceAndCompletesToAnEmptyFile()
    {
        var (_, manifest) = await SourceAsync(0, "e.txt");
        await using var empty = await OpenAsync("e.txt", manifest);
        Assert.AreEqual(0, empty.ChunkCount);
        Assert.IsTrue(empty.IsComplete);
        var path = await empty.CompleteAsync(CancellationToken.None);
        Assert.AreEqual(0L, new FileInfo(path).Length);
    }

    [TestMethod]
    public async Task ANameWithSubfoldersCompletesIntoThem()
    {
        var (bytes, manifest) = await SourceAsync(1000, "music/live/a.bin");
        await using var partial = await OpenAsync("music/live/a.bin", manifest);
        Assert.IsTrue(await partial.WriteChunkAsync(0, bytes, CancellationToken.None));
        var path = await partial.CompleteAsync(CancellationToken.None);
        Assert.AreEqual(Path.Combine(Downloads, "music", "live", "a.bin"), path);
    }

    [TestMethod]
    public async Task AnUnsafeNameOrAnIdThatIsNotTheManifestsIsRefusedBeforeAnyFileIsMade()
    {
        var (_, manifest) = await SourceAsync(1000, "a.bin");
        var id = ManifestBuilder.FileIdOf(manifest);
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => PartialDownload.OpenAsync(Downloads, "../a.bin", manifest, id, CancellationToken.None));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => PartialDownload.OpenAsync(Downloads, "a.bin", manifest, "../../escape", CancellationToken.None));
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => PartialDownload.OpenAsync(Downloads, "a.bin", manifest with { Size = 999 }, id, CancellationToken.None));
        Assert.IsFalse(Directory.Exists(Downloads));
    }

    [TestMethod]
    public async Task TheSameDownloadCannotBeOpenedTwiceAtOnce()
    {
        var (_, manifest) = await SourceAsync(1000, "a.bin");
        await using var first = await OpenAsync("a.bin", manifest);
        await Assert.ThrowsAsync<IOException>(() => OpenAsync("a.bin", manifest));
    }

    [TestMethod]
    public async Task AChunkPastFourGibibytesLandsAtItsOffsetInASparseFile()
    {
        // Only the last chunk is written: the rest of the 5 GiB .part is a hole, so this takes no disk space.
        var last = RandomNumberGenerator.GetBytes(1000);
        var size = (5L * 1024 * 1024 * 1024) + 1000;
        var chunkSize = ChunkSizing.ChunkSizeFor(size);
        var count = ChunkSizing.ChunkCount(size, chunkSize);
        var hashes = Enumerable.Repeat(new string('0', 64), count).ToArray();
        hashes[^1] = Convert.ToHexString(SHA256.HashData(last)).ToLowerInvariant();
        var manifest = new FileManifest("huge.bin", size, chunkSize, hashes);

        await using var partial = await OpenAsync("huge.bin", manifest);
        Assert.AreEqual(size, new FileInfo(partial.PartPath).Length, "preallocated to the full size");
        Assert.IsTrue(await partial.WriteChunkAsync(count - 1, last, CancellationToken.None));
        Assert.IsTrue(partial.Has(count - 1));

        var readBack = new byte[chunkSize];
        var read = await ChunkReader.ReadChunkAsync(partial.PartPath, manifest, count - 1, readBack, CancellationToken.None);
        Assert.AreEqual(1000, read);
        CollectionAssert.AreEqual(last, readBack.AsSpan(0, read).ToArray());
        await using var raw = new FileStream(partial.PartPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        raw.Position = 5L * 1024 * 1024 * 1024;
        Assert.AreEqual(last[0], (byte)raw.ReadByte(), "at byte 5 GiB, not at a wrapped 32-bit offset");
    }

    [TestMethod]
    public async Task ReadingAChunkChecksTheBufferAndTheIndex()
    {
        var (_, manifest) = await SourceAsync(100_000, "a.bin");
        var path = folder.PathOf("a.bin");
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => ChunkReader.ReadChunkAsync(path, manifest, 0, new byte[100], CancellationToken.None));
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(() => ChunkReader.ReadChunkAsync(path, manifest, 2, new byte[65536], CancellationToken.None));
        Assert.AreEqual(100_000 - 65536, await ChunkReader.ReadChunkAsync(path, manifest, 1, new byte[65536], CancellationToken.None));
    }

    [TestMethod]
    public async Task ChunksFromAlignedBuffersBypassingThePageCacheCompleteToAByteForByteCopy()
    {
        // Two whole chunks go the O_DIRECT way (aligned buffer, offset and length), the short last one through the cache.
        var (bytes, manifest) = await SourceAsync(2 * 65536 + 1000, "direct.bin");
        await using var partial = await OpenAsync("direct.bin", manifest);
        var (buffer, start) = DirectWrites.AllocateAligned(65536, 0);
        foreach (var chunk in new[] { 2, 0, 1 })
        {
            var source = Chunk(bytes, manifest, chunk);
            source.CopyTo(buffer.AsMemory(start));
            var aligned = buffer.AsMemory(start, source.Length);
            Assert.AreEqual(chunk != 2, DirectWrites.CanWrite(aligned, ChunkSizing.OffsetOf(manifest.ChunkSize, chunk), out var pin));
            pin.Dispose();
            Assert.IsTrue(await partial.WriteChunkAsync(chunk, aligned, CancellationToken.None));
        }
        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(await partial.CompleteAsync(CancellationToken.None)));
    }

    [TestMethod]
    public void OnlyBlockAlignedAddressesOffsetsAndLengthsQualifyForDirectWrites()
    {
        var (buffer, start) = DirectWrites.AllocateAligned(2 * DirectWrites.Alignment, 0);
        Assert.IsTrue(Check(buffer.AsMemory(start, DirectWrites.Alignment), DirectWrites.Alignment));
        Assert.IsFalse(Check(buffer.AsMemory(start + 1, DirectWrites.Alignment), 0), "address");
        Assert.IsFalse(Check(buffer.AsMemory(start, DirectWrites.Alignment), 512), "offset");
        Assert.IsFalse(Check(buffer.AsMemory(start, DirectWrites.Alignment - 1), 0), "length");

        static bool Check(ReadOnlyMemory<byte> data, long offset)
        {
            var ok = DirectWrites.CanWrite(data, offset, out var pin);
            pin.Dispose();
            return ok;
        }
    }

    private async Task<(byte[] Bytes, FileManifest Manifest)> SourceAsync(int size, string name)
    {
        var bytes = RandomNumberGenerator.GetBytes(size);
        var path = await folder.WriteAsync(Path.GetFileName(name), bytes);
        return (bytes, await ManifestBuilder.BuildAsync(path, name, CancellationToken.None));
    }

    private Task<PartialDownload> OpenAsync(string name, FileManifest manifest) =>
        PartialDownload.OpenAsync(Downloads, name, manifest, ManifestBuilder.FileIdOf(manifest), CancellationToken.None);

    private static ReadOnlyMemory<byte> Chunk(byte[] bytes, FileManifest manifest, int chunk) =>
        bytes.AsMemory(chunk * manifest.ChunkSize, ChunkSizing.LengthOf(manifest.Size, manifest.ChunkSize, chunk));
}
