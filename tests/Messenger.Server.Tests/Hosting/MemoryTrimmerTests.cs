using Messenger.Server.Hosting;
using Microsoft.Extensions.Time.Testing;

using Sample = Messenger.Server.Hosting.MemoryTrimmer.Sample;

namespace Messenger.Server.Tests.Hosting;

/// <summary>Issue 12, hole 1: memory held after a burst is given back once the server is quiet, never during traffic.</summary>
[TestClass]
public sealed class MemoryTrimmerTests
{
    private const long MiB = 1024 * 1024;

    [TestMethod]
    public void AQuietServerAfterABurstIsCollectedEvenWhenTheLastCollectionCalledTheBurstLive()
    {
        // Taken mid-storm, the last collection saw 167 MB live (deliveries held for a cut client); the storm is over now.
        var server = new FakeServer(held: 360 * MiB, live: 167 * MiB, liveAfterCollect: 5 * MiB);
        server.Allocate(400 * MiB);
        Assert.IsFalse(server.Trimmer.TrimIfHeld(), "the first check has nothing to compare the allocation with");

        server.Allocate(100 * 1024);
        Assert.IsTrue(server.Trimmer.TrimIfHeld());
        Assert.AreEqual(1, server.Collections);
    }

    [TestMethod]
    public void ATrimInALullOfTheStormDoesNotStopTheOneAfterIt()
    {
        // A lull mid-storm (the sender waiting for a store) measured 150 MiB live; the storm then went on.
        var server = BurstThenQuiet(held: 200 * MiB, liveAfterCollect: 150 * MiB);
        Assert.IsTrue(server.Trimmer.TrimIfHeld());
        server.Allocate(300 * MiB);
        server.Held = 300 * MiB;
        server.Clock.Advance(MemoryTrimmer.MinimumInterval);
        server.Trimmer.TrimIfHeld();

        Assert.IsTrue(server.Trimmer.TrimIfHeld(), "quiet again, and grown by a burst since the last trim");
        Assert.AreEqual(2, server.Collections);
    }

    [TestMethod]
    public void ABusyServerIsNotCollectedHoweverMuchItHolds()
    {
        var server = new FakeServer(held: 400 * MiB, live: 2 * MiB);
        server.Trimmer.TrimIfHeld();

        for (var check = 0; check < 10; check++)
        {
            server.Allocate(MemoryTrimmer.QuietAllocationBytes + 1);
            server.Clock.Advance(MemoryTrimmer.MinimumInterval);
            Assert.IsFalse(server.Trimmer.TrimIfHeld(), $"check {check}: traffic is still flowing");
        }
        Assert.AreEqual(0, server.Collections);
    }

    [TestMethod]
    public void ServerWhoseLiveHeapIsLargeIsNotCollectedAgainAndAgain()
    {
        // The first trim measures 100 MiB really live; holding 180 MiB after more traffic is less than twice that.
        var server = BurstThenQuiet(held: 300 * MiB, liveAfterCollect: 100 * MiB);
        Assert.IsTrue(server.Trimmer.TrimIfHeld());

        server.Allocate(200 * MiB);
        server.Held = 180 * MiB;
        server.Clock.Advance(MemoryTrimmer.MinimumInterval);
        server.Trimmer.TrimIfHeld();
        Assert.IsFalse(server.Trimmer.TrimIfHeld(), "it holds what it needs");
        Assert.AreEqual(1, server.Collections);
    }

    [TestMethod]
    public void NothingAllocatedSinceTheLastTrimMeansNoNewTrim()
    {
        // The GC may keep what it keeps; a second collection with nothing new allocated would not change that.
        var server = BurstThenQuiet(held: 220 * MiB, liveAfterCollect: 2 * MiB);
        Assert.IsTrue(server.Trimmer.TrimIfHeld());
        server.Held = 220 * MiB;

        for (var check = 0; check < 10; check++)
        {
            server.Allocate(1024 * 1024);
            server.Clock.Advance(MemoryTrimmer.MinimumInterval);
            Assert.IsFalse(server.Trimmer.TrimIfHeld(), $"check {check}: only {check + 1} MiB allocated since");
        }
        Assert.AreEqual(1, server.Collections);
    }

    [TestMethod]
    public void AQuietServerIsCollectedAgainOnlyAfterTheInterval()
    {
        var server = BurstThenQuiet(held: 220 * MiB, liveAfterCollect: 2 * MiB);
        Assert.IsTrue(server.Trimmer.TrimIfHeld());
        server.Allocate(200 * MiB); // a second burst, right after
        server.Held = 220 * MiB;
        server.Trimmer.TrimIfHeld();

        server.Clock.Advance(MemoryTrimmer.MinimumInterval - TimeSpan.FromMilliseconds(1));
        Assert.IsFalse(server.Trimmer.TrimIfHeld(), "still within the interval");
        server.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.IsTrue(server.Trimmer.TrimIfHeld(), "the interval is over and the memory is still held");
        Assert.AreEqual(2, server.Collections);
    }

    [TestMethod]
    public void TheProcessProbeCountsWhatWasAllocatedSinceTheLastCollection()
    {
        // After a storm no collection runs, so the last collection's figures (GC.GetGCMemoryInfo) describe a heap far
        // smaller than the one held. No GC may run in between, or the figures would be a new collection's.
        var (before, after) = MeasureWithoutCollection(() =>
        {
            for (var chunk = 0; chunk < 128; chunk++)
            {
                GC.KeepAlive(new byte[64 * 1024]);
            }
        });

        Assert.IsTrue(after.Held - before.Held >= 7 * MiB, $"held {before.Held} -> {after.Held}");
        Assert.IsTrue(after.TotalAllocated - before.TotalAllocated >= 7 * MiB);
    }

    /// <summary>Samples around <paramref name="allocate"/> inside a no-GC region; retried if something else ended it.</summary>
    private static (Sample Before, Sample After) MeasureWithoutCollection(Action allocate)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            GC.Collect();
            Assert.IsTrue(GC.TryStartNoGCRegion(64 * MiB), "could not hold the GC off");
            var before = MemoryTrimmer.ReadProcessGc();
            allocate();
            var after = MemoryTrimmer.ReadProcessGc();
            if (System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.NoGCRegion)
            {
                GC.EndNoGCRegion();
                return (before, after);
            }
        }
        Assert.Fail("a collection ran during every attempt");
        return default;
    }

    /// <summary>A server that allocated a burst and whose last check saw it; the next quiet check can trim.</summary>
    private static FakeServer BurstThenQuiet(long held, long liveAfterCollect)
    {
        var server = new FakeServer(held, live: liveAfterCollect, liveAfterCollect);
        server.Allocate(300 * MiB);
        server.Trimmer.TrimIfHeld();
        return server;
    }

    private sealed class FakeServer
    {
        private long allocated;
        private long live;

        /// <summary>A collection leaves the GC holding what is really live.</summary>
        public FakeServer(long held, long live, long? liveAfterCollect = null)
        {
            this.live = live;
            Held = held;
            Trimmer = new MemoryTrimmer(Clock, () => new Sample(Held, this.live, allocated), () =>
            {
                Collections++;
                this.live = liveAfterCollect ?? this.live;
                Held = this.live;
            });
        }

        public long Held { get; set; }

        public FakeTimeProvider Clock { get; } = new();

        public MemoryTrimmer Trimmer { get; }

        public int Collections { get; private set; }

        public void Allocate(long bytes) => allocated += bytes;
    }
}
