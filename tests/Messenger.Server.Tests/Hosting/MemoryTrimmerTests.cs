using Messenger.Server.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Hosting;

/// <summary>Issue 12, hole 1: memory held after a burst is given back, and a storm cannot make the server collect in a loop.</summary>
[TestClass]
public sealed class MemoryTrimmerTests
{
    private const long MiB = 1024 * 1024;

    [TestMethod]
    public void MemoryHeldFarBeyondTheLiveHeapIsCollectedOnce()
    {
        var (trimmer, collections, _) = Create(committed: 220 * MiB, live: 2 * MiB);

        Assert.IsTrue(trimmer.TrimIfHeld());
        Assert.AreEqual(1, collections());
    }

    [TestMethod]
    public void MemoryCloseToTheLiveHeapIsLeftAlone()
    {
        // 2 x 40 MiB live + the slack is more than 120 MiB committed: a busy server, not a burst's leftovers.
        var (trimmer, collections, _) = Create(committed: 120 * MiB, live: 40 * MiB);

        Assert.IsFalse(trimmer.TrimIfHeld());
        Assert.AreEqual(0, collections());
    }

    [TestMethod]
    public void AStormCannotMakeTheServerCollectMoreThanOncePerInterval()
    {
        var (trimmer, collections, clock) = Create(committed: 220 * MiB, live: 2 * MiB);

        trimmer.TrimIfHeld();
        clock.Advance(MemoryTrimmer.MinimumInterval - TimeSpan.FromMilliseconds(1));
        Assert.IsFalse(trimmer.TrimIfHeld(), "still within the interval");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.IsTrue(trimmer.TrimIfHeld(), "the interval is over and the memory is still held");
        Assert.AreEqual(2, collections());
    }

    private static (MemoryTrimmer Trimmer, Func<int> Collections, FakeTimeProvider Clock) Create(long committed, long live)
    {
        var clock = new FakeTimeProvider();
        var count = 0;
        var trimmer = new MemoryTrimmer(clock, () => (committed, live), () => count++);
        return (trimmer, () => count, clock);
    }
}
