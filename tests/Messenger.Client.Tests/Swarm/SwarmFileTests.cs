using System.Security.Cryptography;
using Messenger.Client.Swarm;
using Messenger.Protocol.Contracts;

namespace Messenger.Client.Tests.Swarm;

[TestClass]
public sealed class SwarmFileTests
{
    private string root = "";

    [TestInitialize]
    public void CreateFolder()
    {
        root = Path.Combine(Path.GetTempPath(), "swarm-unit-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(root, recursive: true);

    [TestMethod]
    [DataRow(0L, 65536, 0)]
    [DataRow(1L, 65536, 1)]
    [DataRow(65536L, 65536, 1)]
    [DataRow(3L * 1024 * 1024 + 12345, 65536, 49)]
    [DataRow(64L * 1024 * 1024, 65536, 1024)]
    [DataRow(128L * 1024 * 1024, 131072, 1024)]
    [DataRow(1024L * 1024 * 1024, 1048576, 1024)]
    [DataRow(5L * 1024 * 1024 * 1024, 1048576, 5120)]
    public void ChunkSizeFollowsTheDocumentedRule(long size, int chunkSize, int chunks)
    {
        Assert.AreEqual(chunkSize, ChunkSizing.ChunkSizeFor(size));
        Assert.AreEqual(chunks, ChunkSizing.ChunkCount(size, chunkSize));
    }

    [TestMethod]
    public async Task TheSameContentHasTheSameIdAnywhereAndOtherContentAnother()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var a = await WriteAsync("a/x.bin", bytes);
        var b = await WriteAsync("b/x.bin", bytes);
        var manifestA = await ManifestBuilder.BuildAsync(a, "x.bin", CancellationToken.None);
        var manifestB = await ManifestBuilder.BuildAsync(b, "x.bin", CancellationToken.None);
        Assert.AreEqual(FileIds.Of(manifestA), FileIds.Of(manifestB));
        Assert.AreEqual(Convert.ToHexStringLower(SHA256.HashData(bytes.AsSpan(65536, 65536))), manifestA.ChunkHashes[1]);
        bytes[199_999] ^= 1;
        var c = await WriteAsync("c/x.bin", bytes);
        Assert.AreNotEqual(FileIds.Of(manifestA), FileIds.Of(await ManifestBuilder.BuildAsync(c, "x.bin", CancellationToken.None)));
    }

    [TestMethod]
    public async Task TheCacheRehashesOnlyWhenSizeOrModificationTimeChange()
    {
        var path = await WriteAsync("share/f.bin", RandomNumberGenerator.GetBytes(1000));
        var cache = new ManifestCache(Path.Combine(root, "state"));
        var first = await cache.GetOrBuildAsync(path, "f.bin", CancellationToken.None);
        var stamp = File.GetLastWriteTimeUtc(path);
        await File.WriteAllBytesAsync(path, RandomNumberGenerator.GetBytes(1000));
        File.SetLastWriteTimeUtc(path, stamp);
        Assert.AreEqual(FileIds.Of(first), FileIds.Of(await new ManifestCache(Path.Combine(root, "state")).GetOrBuildAsync(path, "f.bin", CancellationToken.None)), "kept on disk, keyed by size and time");
        File.SetLastWriteTimeUtc(path, stamp.AddSeconds(5));
        Assert.AreNotEqual(first.ChunkHashes[0], (await cache.GetOrBuildAsync(path, "f.bin", CancellationToken.None)).ChunkHashes[0]);
    }

    [TestMethod]
    [DataRow("..")]
    [DataRow("../x")]
    [DataRow("a/../../x")]
    [DataRow("/etc/passwd")]
    [DataRow("C:\\x")]
    [DataRow("a\\b")]
    [DataRow("")]
    [DataRow(".")]
    [DataRow("a//b")]
    [DataRow("bell\u0007")]
    public void NamesThatCouldLeaveTheShareFolderAreRefused(string name)
    {
        Assert.IsFalse(ShareDirectory.IsSafeName(name, out var error));
        Assert.IsFalse(string.IsNullOrEmpty(error));
    }

    [TestMethod]
    public async Task ALinkInsideTheShareThatPointsOutsideIsRefusedAndSubfoldersWork()
    {
        var share = new ShareDirectory(Path.Combine(root, "share"));
        var outside = await WriteAsync("outside.txt", [1, 2, 3]);
        File.CreateSymbolicLink(Path.Combine(share.Root, "link.txt"), outside);
        Assert.IsFalse(share.TryResolveExisting("link.txt", out _, out var error));
        StringAssert.Contains(error, "leads out of the share folder");
        var inside = await WriteAsync("share/sub/file.txt", [4]);
        Assert.IsTrue(share.TryResolveExisting("sub/file.txt", out var path, out _));
        Assert.AreEqual(inside, path);
    }

    [TestMethod]
    public async Task ChunksWrittenOutOfOrderMakeTheSameFileAndBadChunksAreRefused()
    {
        var bytes = RandomNumberGenerator.GetBytes(300_000);
        var manifest = await ManifestBuilder.BuildAsync(await WriteAsync("src.bin", bytes), "copy.bin", CancellationToken.None);
        var downloads = Path.Combine(root, "downloads");
        await using var partial = await PartialDownload.OpenAsync(downloads, "copy.bin", manifest, FileIds.Of(manifest), CancellationToken.None);
        Assert.IsFalse(await partial.WriteChunkAsync(0, bytes.AsMemory(1, 65536), CancellationToken.None), "wrong bytes");
        Assert.IsFalse(await partial.WriteChunkAsync(0, bytes.AsMemory(0, 100), CancellationToken.None), "wrong length");
        foreach (var chunk in Enumerable.Range(0, manifest.ChunkHashes.Length).Reverse())
        {
            Assert.IsTrue(await partial.WriteChunkAsync(chunk, Chunk(bytes, manifest, chunk), CancellationToken.None));
        }
        var path = await partial.CompleteAsync(CancellationToken.None);
        CollectionAssert.AreEqual(bytes, await File.ReadAllBytesAsync(path));
        Assert.IsFalse(Directory.EnumerateFiles(Path.Combine(downloads, ".partial")).Any(), "nothing left behind");
    }

    [TestMethod]
    public async Task AResumedDownloadKeepsVerifiedChunksAndDropsOnesCorruptedOnDisk()
    {
        var bytes = RandomNumberGenerator.GetBytes(4 * 65536);
        var manifest = await ManifestBuilder.BuildAsync(await WriteAsync("src.bin", bytes), "r.bin", CancellationToken.None);
        var downloads = Path.Combine(root, "downloads");
        string partPath;
        await using (var first = await PartialDownload.OpenAsync(downloads, "r.bin", manifest, FileIds.Of(manifest), CancellationToken.None))
        {
            for (var chunk = 0; chunk < 3; chunk++)
            {
                await first.WriteChunkAsync(chunk, Chunk(bytes, manifest, chunk), CancellationToken.None);
            }
            partPath = first.PartPath;
        }
        await using (var corrupt = new FileStream(partPath, FileMode.Open, FileAccess.Write))
        {
            corrupt.Position = 65536 + 10;
            corrupt.WriteByte(0x42);
        }
        await using var resumed = await PartialDownload.OpenAsync(downloads, "r.bin", manifest, FileIds.Of(manifest), CancellationToken.None);
        CollectionAssert.AreEqual(new[] { 0, 2 }, resumed.CompletedChunks().ToArray());
    }

    [TestMethod]
    public async Task AnExistingFileIsNeverOverwrittenAndAnEmptyFileCompletesAtOnce()
    {
        var manifest = new FileManifest("e.txt", 0, ChunkSizing.MinChunkSize, []);
        var downloads = Path.Combine(root, "downloads");
        await using (var empty = await PartialDownload.OpenAsync(downloads, "e.txt", manifest, FileIds.Of(manifest), CancellationToken.None))
        {
            Assert.IsTrue(empty.IsComplete);
            Assert.AreEqual(0L, new FileInfo(await empty.CompleteAsync(CancellationToken.None)).Length);
        }
        Assert.IsTrue(PartialDownload.TargetExists(downloads, "e.txt"));
        await using var again = await PartialDownload.OpenAsync(downloads, "e.txt", manifest, FileIds.Of(manifest), CancellationToken.None);
        await Assert.ThrowsAsync<IOException>(() => again.CompleteAsync(CancellationToken.None));
    }

    [TestMethod]
    public async Task ChunksPastFourGibibytesLandAtTheirOffsetInASparseFile()
    {
        var last = RandomNumberGenerator.GetBytes(1000);
        var size = 5L * 1024 * 1024 * 1024 + 1000;
        var chunkSize = ChunkSizing.ChunkSizeFor(size);
        var count = ChunkSizing.ChunkCount(size, chunkSize);
        var hashes = Enumerable.Repeat(new string('0', 64), count).ToArray();
        hashes[^1] = Convert.ToHexStringLower(SHA256.HashData(last));
        var manifest = new FileManifest("huge.bin", size, chunkSize, hashes);
        await using var partial = await PartialDownload.OpenAsync(Path.Combine(root, "downloads"), "huge.bin", manifest, FileIds.Of(manifest), CancellationToken.None);
        Assert.IsTrue(await partial.WriteChunkAsync(count - 1, last, CancellationToken.None));
        var readBack = new byte[chunkSize];
        var read = await PartialDownload.ReadChunkAsync(partial.PartPath, manifest, count - 1, readBack, CancellationToken.None);
        CollectionAssert.AreEqual(last, readBack.AsSpan(0, read).ToArray());
        Assert.AreEqual(size, new FileInfo(partial.PartPath).Length);
    }

    private static ReadOnlyMemory<byte> Chunk(byte[] bytes, FileManifest manifest, int chunk) =>
        bytes.AsMemory(chunk * manifest.ChunkSize, ChunkSizing.LengthOf(manifest.Size, manifest.ChunkSize, chunk));

    private async Task<string> WriteAsync(string relative, byte[] bytes)
    {
        var path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
