using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Security;

namespace Messenger.Server.Tests.Cluster;

/// <summary>p2pDownload between users of different nodes: holder queries scattered to every node, owners gathered.</summary>
[TestClass]
public sealed class ClusterSwarmTests
{
    private static readonly FileManifest Movie = new("movie.bin", 150_000, 65_536, ["aa", "bb", "cc"]);

    private static ProtocolJsonContext Json => ProtocolJsonContext.Default;

    [TestMethod]
    public async Task ADownloadOnOneNodeListsHoldersOfEveryOtherNodeWithTheirEndpointsAndATicketEach()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        var carol = await cluster.LoginAsync("carol", "n3");

        await FindAsync(alice, "movie.bin");
        await AnswerAsync(bob, holds: true);
        await AnswerAsync(carol, holds: true);

        var locations = await alice.Link.ExpectAsync(FrameType.FileLocations, Json.FileLocations);
        var version = locations.Versions.Single();
        Assert.AreEqual(FileIds.Of(Movie), version.FileId);
        CollectionAssert.AreEquivalent(new[] { "bob", "carol" }, version.Owners.Select(o => o.User).ToArray());
        foreach (var owner in version.Owners)
        {
            Assert.AreEqual(InProcessCluster.PeerPortOf(owner.User), owner.Port);
            CollectionAssert.AreEqual(new[] { 0, 1, 2 }, owner.Chunks);
            ClusterPrivateTests.AssertTicketNames(cluster, owner.Ticket, TicketPurposes.Swarm, "alice", owner.User);
        }
    }

    [TestMethod]
    public async Task ChunksADownloaderRegisteredOnItsNodeAreListedToADownloaderOnAnotherNode()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        var dave = await cluster.LoginAsync("dave", "n2");
        await dave.RequestAsync(FrameType.RegisterChunks, new RegisterChunks(FileIds.Of(Movie), [1], Movie), Json.RegisterChunks);
        await dave.Link.ExpectAsync(FrameType.Response, Json.Response, r => r.Message == "registered");

        await FindAsync(alice, "movie.bin");
        await AnswerAsync(dave, holds: false); // its share folder has no whole copy; the registry has its chunk

        var owner = (await alice.Link.ExpectAsync(FrameType.FileLocations, Json.FileLocations)).Versions.Single().Owners.Single();
        Assert.AreEqual("dave", owner.User);
        CollectionAssert.AreEqual(new[] { 1 }, owner.Chunks);
    }

    [TestMethod]
    public async Task AHolderOnAnotherNodeWhoBlockedTheDownloaderIsNeitherAskedNorListed()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        var bob = await cluster.LoginAsync("bob", "n2");
        var carol = await cluster.LoginAsync("carol", "n2");
        await bob.BlockAsync("alice");

        await FindAsync(alice, "movie.bin");
        await AnswerAsync(carol, holds: true);

        var owners = (await alice.Link.ExpectAsync(FrameType.FileLocations, Json.FileLocations)).Versions.Single().Owners;
        CollectionAssert.AreEqual(new[] { "carol" }, owners.Select(o => o.User).ToArray());
        Assert.IsEmpty(bob.Link.All(FrameType.HolderQuery, Json.HolderQuery));
    }

    [TestMethod]
    public async Task ANodeThatDiedDuringASearchAddsNoOwnersAndTheSearchStillEnds()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2");
        var alice = await cluster.LoginAsync("alice", "n1");
        var carol = await cluster.LoginAsync("carol", "n1");
        await cluster.LoginAsync("bob", "n2");
        cluster.Kill("n2");

        await FindAsync(alice, "movie.bin");
        await AnswerAsync(carol, holds: true);
        Assert.IsEmpty(alice.Link.All(FrameType.FileLocations, Json.FileLocations), "still waiting for n2");
        cluster.Clock.Advance(cluster.Options.HolderQueryTimeout + InProcessCluster.Settings.TakeoverTimeout);

        var owners = (await alice.Link.ExpectAsync(FrameType.FileLocations, Json.FileLocations)).Versions.Single().Owners;
        CollectionAssert.AreEqual(new[] { "carol" }, owners.Select(o => o.User).ToArray());
    }

    [TestMethod]
    public async Task ThreeDownloadersOnThreeNodesReportingOneOwnerDelistItOnEveryNode()
    {
        await using var cluster = await InProcessCluster.StartAsync("n1", "n2", "n3");
        var erin = await cluster.LoginAsync("erin", "n1");
        var reporters = new[] { await cluster.LoginAsync("alice", "n1"), await cluster.LoginAsync("bob", "n2"), await cluster.LoginAsync("carol", "n3") };
        var dave = await cluster.LoginAsync("dave", "n2");
        var everyone = reporters.Append(erin).Append(dave).ToArray();
        var questions = new Dictionary<string, int>();
        async Task SearchAsync(TestUser downloader)
        {
            await FindAsync(downloader, "movie.bin");
            foreach (var asked in everyone.Where(user => user != downloader)) // everybody answers: nothing waits for a timeout
            {
                questions[asked.Name] = questions.GetValueOrDefault(asked.Name) + 1;
                await AnswerAsync(asked, holds: asked == erin, questions[asked.Name]);
            }
        }
        var answers = new List<string>();
        for (var i = 0; i < reporters.Length; i++)
        {
            var reporter = reporters[i];
            await SearchAsync(reporter);
            Assert.AreEqual("erin", (await reporter.Link.ExpectAsync(FrameType.FileLocations, Json.FileLocations)).Versions.Single().Owners.Single().User);
            await reporter.RequestAsync(FrameType.ReportBadChunk, new ReportBadChunk(FileIds.Of(Movie), "erin", 0), Json.ReportBadChunk);
            answers.Add((await reporter.Link.ExpectAsync(FrameType.Response, Json.Response, r => r.Message.StartsWith("reported", StringComparison.Ordinal))).Message);
            var barrier = 100L;
            foreach (var other in reporters.Where(r => r != reporter).Append(erin))
            {
                await reporter.SendAsync(other.Name, ++barrier, "barrier"); // every node has counted this report before the next
                await other.ReceiveAsync(reporter.Name, barrier);
            }
        }

        CollectionAssert.AreEqual(new[] { "reported; not listed to you again", "reported; not listed to you again", "reported; no longer listed" }, answers);
        await SearchAsync(dave);
        Assert.AreEqual(Reasons.Offline, (await dave.RefusalAsync()).Reason, "erin is listed to nobody");
    }

    private static Task FindAsync(TestUser downloader, string name) =>
        downloader.RequestAsync(FrameType.FindFile, new FindFileRequest(name), Json.FindFileRequest);

    /// <summary>Answers the holder query the user's node sent it (its <paramref name="round"/>th), holding the whole movie or not, as its client does.</summary>
    private static async Task AnswerAsync(TestUser holder, bool holds, int round = 1)
    {
        var query = await holder.Link.ExpectAsync(FrameType.HolderQuery, Json.HolderQuery, occurrence: round);
        var answer = holds ? new HolderAnswer(query.QueryId, FileIds.Of(Movie), Movie) : new HolderAnswer(query.QueryId);
        await holder.RequestAsync(FrameType.HolderAnswer, answer, Json.HolderAnswer);
    }
}
