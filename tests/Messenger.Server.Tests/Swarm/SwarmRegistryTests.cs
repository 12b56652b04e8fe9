using Messenger.Protocol.Contracts;
using Messenger.Server.Swarm;

namespace Messenger.Server.Tests.Swarm;

[TestClass]
public sealed class SwarmRegistryTests
{
    private static readonly FileManifest Movie = new("movie.bin", 150_000, 65_536, ["aa", "bb", "cc"]);
    private static readonly FileManifest OtherMovie = new("movie.bin", 10, 65_536, ["dd"]);

    [TestMethod]
    public void RegistrationIsRefusedWhenTheIdDoesNotMatchTheManifest()
    {
        var registry = new SwarmRegistry();
        Assert.IsFalse(registry.Register("mallory", FileIds.Of(OtherMovie), Movie, [0, 1, 2]));
        Assert.AreEqual(0, registry.Find("movie.bin", null, (_, _) => true).Count);
    }

    [TestMethod]
    public void ManifestsWhoseChunkListDoesNotFitTheSizeAreRefused()
    {
        var registry = new SwarmRegistry();
        var lying = Movie with { ChunkHashes = ["aa"] };
        Assert.IsFalse(registry.Register("mallory", FileIds.Of(lying), lying, [0]));
    }

    [TestMethod]
    public void VersionsAreListedMostOwnersFirstWithTheirChunks()
    {
        var registry = new SwarmRegistry();
        registry.Register("alice", FileIds.Of(Movie), Movie, [0, 1, 2]);
        registry.Register("bob", FileIds.Of(Movie), Movie, [2, 0, 99, -1]);
        registry.Register("carol", FileIds.Of(OtherMovie), OtherMovie, [0]);

        var versions = registry.Find("movie.bin", null, (_, _) => true);
        Assert.AreEqual(FileIds.Of(Movie), versions[0].FileId);
        CollectionAssert.AreEqual(new[] { 0, 2 }, versions[0].Owners.Single(o => o.User == "bob").Chunks, "out-of-range chunks are ignored");
        Assert.AreEqual(FileIds.Of(OtherMovie), versions[1].FileId);
        Assert.AreEqual(1, registry.Find("movie.bin", FileIds.Of(OtherMovie), (_, _) => true).Count, "a pinned id lists only that version");
    }

    [TestMethod]
    public void OwnersTheFilterRejectsAreNeitherListedNorRevealed()
    {
        var registry = new SwarmRegistry();
        registry.Register("alice", FileIds.Of(Movie), Movie, [0, 1, 2]);
        registry.Register("blocker", FileIds.Of(Movie), Movie, [0, 1, 2]);
        var owners = registry.Find("movie.bin", null, (_, user) => user != "blocker").Single().Owners;
        CollectionAssert.AreEqual(new[] { "alice" }, owners.Select(o => o.User).ToArray());
        Assert.AreEqual(0, registry.Find("movie.bin", null, (_, user) => user == "nobody").Count, "a version with no acceptable owner is not listed");
    }

    [TestMethod]
    public void ABannedOwnerStaysUnlistedForThatFileAndLogoutRemovesOwners()
    {
        var registry = new SwarmRegistry();
        registry.Register("alice", FileIds.Of(Movie), Movie, [0, 1, 2]);
        registry.Register("mallory", FileIds.Of(Movie), Movie, [0, 1, 2]);
        registry.Ban(FileIds.Of(Movie), "mallory");
        registry.Register("mallory", FileIds.Of(Movie), Movie, [0, 1, 2]);
        CollectionAssert.AreEqual(new[] { "alice" }, registry.Find("movie.bin", null, (_, _) => true).Single().Owners.Select(o => o.User).ToArray());

        registry.RemoveOwner("alice");
        Assert.AreEqual(0, registry.Find("movie.bin", null, (_, _) => true).Count);
    }

    [TestMethod]
    public void ABatchRegistersEveryChunkItNamesAndTheDownloaderIsListedOnlyWithThose()
    {
        var registry = new SwarmRegistry();
        registry.Register("alice", FileIds.Of(Movie), Movie, [0, 1, 2]);
        Assert.IsFalse(registry.Find("movie.bin", null, (_, _) => true).Single().Owners.Any(o => o.User == "dave"),
            "a downloader whose verified chunks still wait in its batch is not listed");

        Assert.IsTrue(registry.Register("dave", FileIds.Of(Movie), Movie, [2, 0]));
        CollectionAssert.AreEqual(new[] { 0, 2 }, registry.Find("movie.bin", null, (_, _) => true).Single().Owners.Single(o => o.User == "dave").Chunks,
            "every chunk of the batch, and only those");
        Assert.IsFalse(registry.HoldsWholeFile("dave", FileIds.Of(Movie)));

        Assert.IsTrue(registry.Register("dave", FileIds.Of(Movie), null, [1]), "a later batch needs no manifest");
        Assert.IsTrue(registry.HoldsWholeFile("dave", FileIds.Of(Movie)));
    }
}
