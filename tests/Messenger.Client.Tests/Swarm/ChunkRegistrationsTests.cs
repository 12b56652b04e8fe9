using Messenger.Client.Downloads;
using Messenger.Protocol.Contracts;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Client.Tests.Swarm;

[TestClass]
public sealed class ChunkRegistrationsTests
{
    private static readonly FileManifest Movie = new("movie.bin", 200 * 65_536, 65_536, [.. Enumerable.Range(0, 200).Select(i => $"{i:x64}")]);
    private static readonly FileManifest Song = new("song.bin", 65_536, 65_536, [new string('a', 64)]);

    private readonly FakeTimeProvider clock = new();
    private readonly List<(string FileId, FileManifest Manifest, int[] Chunks)> sent = [];

    private ChunkRegistrations NewRegistrations() =>
        new((fileId, manifest, chunks) => sent.Add((fileId, manifest, [.. chunks])), clock);

    [TestMethod]
    public void VerifiedChunksWaitForTheIntervalAndThenGoTogetherInOneRegistration()
    {
        var registrations = NewRegistrations();
        registrations.Add("movie", Movie, 7);
        registrations.Add("movie", Movie, 3);
        registrations.Add("movie", Movie, 9);
        clock.Advance(ChunkRegistrations.Interval - TimeSpan.FromMilliseconds(1));
        Assert.AreEqual(0, sent.Count, "nothing is registered before the interval has passed");

        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.AreEqual(1, sent.Count);
        Assert.AreEqual("movie", sent[0].FileId);
        CollectionAssert.AreEqual(new[] { 7, 3, 9 }, sent[0].Chunks);

        registrations.Add("movie", Movie, 4);
        clock.Advance(ChunkRegistrations.Interval);
        Assert.AreEqual(2, sent.Count, "the next chunk starts the next batch");
        CollectionAssert.AreEqual(new[] { 4 }, sent[1].Chunks);
        clock.Advance(ChunkRegistrations.Interval * 10);
        Assert.AreEqual(2, sent.Count, "an empty batch is never sent");
    }

    [TestMethod]
    public void AFullBatchIsSentAtOnceWithoutWaitingForTheClock()
    {
        var registrations = NewRegistrations();
        for (var chunk = 0; chunk < ChunkRegistrations.BatchChunks; chunk++)
        {
            registrations.Add("movie", Movie, chunk);
        }
        Assert.AreEqual(1, sent.Count);
        CollectionAssert.AreEqual(Enumerable.Range(0, ChunkRegistrations.BatchChunks).ToArray(), sent[0].Chunks);
        clock.Advance(ChunkRegistrations.Interval);
        Assert.AreEqual(1, sent.Count, "the full batch is not sent a second time");
    }

    [TestMethod]
    public void EachFileGetsItsOwnRegistrationWithItsOwnManifest()
    {
        var registrations = NewRegistrations();
        registrations.Add("movie", Movie, 1);
        registrations.Add("song", Song, 0);
        registrations.Add("movie", Movie, 2);
        clock.Advance(ChunkRegistrations.Interval);
        Assert.AreEqual(2, sent.Count);
        var movie = sent.Single(s => s.FileId == "movie");
        Assert.AreSame(Movie, movie.Manifest);
        CollectionAssert.AreEqual(new[] { 1, 2 }, movie.Chunks);
        Assert.AreSame(Song, sent.Single(s => s.FileId == "song").Manifest);
    }

    [TestMethod]
    public void FlushSendsWhatWaitsNowAndDiscardDropsIt()
    {
        var registrations = NewRegistrations();
        registrations.Add("movie", Movie, 5);
        registrations.Add("song", Song, 0);
        registrations.Flush("movie");
        Assert.AreEqual(1, sent.Count, "a flush does not wait for the clock");
        CollectionAssert.AreEqual(new[] { 5 }, sent[0].Chunks);
        registrations.Flush("movie");
        Assert.AreEqual(1, sent.Count, "nothing waits any more for that file");

        registrations.Discard("song");
        clock.Advance(ChunkRegistrations.Interval);
        Assert.AreEqual(1, sent.Count, "a discarded batch is never sent");
    }
}
