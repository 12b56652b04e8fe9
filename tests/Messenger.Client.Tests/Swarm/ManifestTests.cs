using System.Security.Cryptography;
using System.Text;
using Messenger.Client.Swarm;
using Messenger.Protocol.Contracts;

namespace Messenger.Client.Tests.Swarm;

[TestClass]
public sealed class ManifestTests : IDisposable
{
    private SwarmTestFolder folder = null!;

    [TestInitialize]
    public void CreateFolder() => folder = new SwarmTestFolder();

    /// <summary>MSTest disposes the class after each test: the folder goes with it.</summary>
    public void Dispose() => folder.Dispose();

    [TestMethod]
    public async Task TheManifestOfASmallFileMatchesAnIndependentComputation()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var manifest = await ManifestBuilder.BuildAsync(await folder.WriteAsync("x.bin", bytes), "x.bin", CancellationToken.None);

        var hashes = Enumerable.Range(0, 4)
            .Select(i => Convert.ToHexString(SHA256.HashData(bytes.AsSpan(i * 65536, Math.Min(65536, bytes.Length - (i * 65536))))).ToLowerInvariant())
            .ToArray();
        Assert.AreEqual("x.bin", manifest.Name);
        Assert.AreEqual(200_000L, manifest.Size);
        Assert.AreEqual(65536, manifest.ChunkSize);
        CollectionAssert.AreEqual(hashes, manifest.ChunkHashes);
        // The canonical JSON, written out by hand: compact, camelCase, in declaration order.
        var json = $$"""{"name":"x.bin","size":200000,"chunkSize":65536,"chunkHashes":[{{string.Join(",", hashes.Select(h => $"\"{h}\""))}}]}""";
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(json))).ToLowerInvariant(), ManifestBuilder.FileIdOf(manifest));
    }

    [TestMethod]
    public async Task TheSameContentUnderAnotherPathHasTheSameIdAndOtherContentAnother()
    {
        var bytes = RandomNumberGenerator.GetBytes(200_000);
        var a = await ManifestBuilder.BuildAsync(await folder.WriteAsync("a/x.bin", bytes), "x.bin", CancellationToken.None);
        var b = await ManifestBuilder.BuildAsync(await folder.WriteAsync("b/deeper/x.bin", bytes), "x.bin", CancellationToken.None);
        Assert.AreEqual(ManifestBuilder.FileIdOf(a), ManifestBuilder.FileIdOf(b));

        bytes[199_999] ^= 1;
        var c = await ManifestBuilder.BuildAsync(await folder.WriteAsync("c/x.bin", bytes), "x.bin", CancellationToken.None);
        Assert.AreNotEqual(ManifestBuilder.FileIdOf(a), ManifestBuilder.FileIdOf(c));
    }

    [TestMethod]
    public async Task AnEmptyFileHasNoChunks()
    {
        var manifest = await ManifestBuilder.BuildAsync(await folder.WriteAsync("e.txt", []), "e.txt", CancellationToken.None);
        Assert.AreEqual(0L, manifest.Size);
        Assert.AreEqual(ChunkSizing.MinChunkSize, manifest.ChunkSize);
        Assert.AreEqual(0, manifest.ChunkHashes.Length);
        Assert.IsTrue(ManifestBuilder.IsWellFormed(manifest, out _));
    }

    [TestMethod]
    public void ManifestsThatCannotBeTrustedToSizeBuffersAreNotWellFormed()
    {
        var hash = new string('a', 64);
        Assert.IsTrue(ManifestBuilder.IsWellFormed(new FileManifest("ok.bin", 70_000, 65536, [hash, hash]), out _));
        FileManifest[] bad =
        [
            new("../x", 1, 65536, [hash]),
            new("x", -1, 65536, []),
            new("x", 1, 0, [hash]),
            new("x", 1, 64 * 1024 * 1024, [hash]),
            new("x", 70_000, 65536, [hash]),
            new("x", 1, 65536, [hash.ToUpperInvariant()]),
            new("x", 1, 65536, ["abc"]),
        ];
        foreach (var manifest in bad)
        {
            Assert.IsFalse(ManifestBuilder.IsWellFormed(manifest, out var error), manifest.ToString());
            Assert.IsFalse(string.IsNullOrEmpty(error));
        }
    }

    [TestMethod]
    public async Task ACacheHitDoesNotReadTheFileAgainButAChangedModificationTimeDoes()
    {
        var path = await folder.WriteAsync("share/f.bin", RandomNumberGenerator.GetBytes(1000));
        var state = folder.PathOf("state");
        var cache = new ManifestCache(state);
        var first = await cache.GetOrBuildAsync(path, "f.bin", CancellationToken.None);

        // Same size and time, other bytes: only a re-read could notice, so an unchanged manifest proves none happened.
        var stamp = File.GetLastWriteTimeUtc(path);
        var replacement = RandomNumberGenerator.GetBytes(1000);
        await File.WriteAllBytesAsync(path, replacement);
        File.SetLastWriteTimeUtc(path, stamp);
        Assert.AreSame(first, await cache.GetOrBuildAsync(path, "f.bin", CancellationToken.None), "from memory");
        Assert.AreEqual(ManifestBuilder.FileIdOf(first),
            ManifestBuilder.FileIdOf(await new ManifestCache(state).GetOrBuildAsync(path, "f.bin", CancellationToken.None)), "from disk");

        File.SetLastWriteTimeUtc(path, stamp.AddSeconds(5));
        var rebuilt = await cache.GetOrBuildAsync(path, "f.bin", CancellationToken.None);
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(replacement)).ToLowerInvariant(), rebuilt.ChunkHashes[0]);
        Assert.AreEqual(1, Directory.GetFiles(Path.Combine(state, "manifests")).Length, "one entry per file, replaced when it changes");
    }

    [TestMethod]
    public async Task ADamagedCacheEntryIsRebuilt()
    {
        var bytes = RandomNumberGenerator.GetBytes(1000);
        var path = await folder.WriteAsync("share/f.bin", bytes);
        var state = folder.PathOf("state");
        await new ManifestCache(state).GetOrBuildAsync(path, "f.bin", CancellationToken.None);
        foreach (var entry in Directory.GetFiles(Path.Combine(state, "manifests")))
        {
            await File.WriteAllTextAsync(entry, "garbage");
        }
        var manifest = await new ManifestCache(state).GetOrBuildAsync(path, "f.bin", CancellationToken.None);
        Assert.AreEqual(Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant(), manifest.ChunkHashes[0]);
    }
}
