using Messenger.Server.Sessions;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Sessions;

[TestClass]
public sealed class TokenBucketTests
{
    [TestMethod]
    public void AllowsABurstOfTheRateThenRefusesUntilTimePasses()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(clock, 5);
        for (var i = 0; i < 5; i++)
        {
            Assert.IsTrue(bucket.TryTake(), $"token {i}");
        }
        Assert.IsFalse(bucket.TryTake());
        clock.Advance(TimeSpan.FromMilliseconds(200));
        Assert.IsTrue(bucket.TryTake(), "one token refills every 1/rate seconds");
        Assert.IsFalse(bucket.TryTake());
    }

    [TestMethod]
    public void NeverHoldsMoreThanOneSecondOfTokens()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(clock, 3);
        clock.Advance(TimeSpan.FromHours(1));
        var taken = 0;
        while (bucket.TryTake())
        {
            taken++;
        }
        Assert.AreEqual(3, taken);
    }

    [TestMethod]
    public void ATakeAtTheCallersReadingRefillsByThatReading()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(clock, 5);
        var start = clock.GetUtcNow();
        for (var i = 0; i < 5; i++)
        {
            Assert.IsTrue(bucket.TryTake(start), $"token {i}");
        }
        Assert.IsFalse(bucket.TryTake(start));
        Assert.IsTrue(bucket.TryTake(start.AddMilliseconds(200)), "the caller's reading is 1/rate seconds on, though the clock itself is not");
        Assert.IsFalse(bucket.TryTake(start.AddMilliseconds(200)));
    }

    [TestMethod]
    public void AClockSteppedBackRefillsNothingAndCountsOnFromWhereItIs()
    {
        var clock = new FakeTimeProvider();
        var bucket = new TokenBucket(clock, 5);
        var start = clock.GetUtcNow();
        while (bucket.TryTake(start))
        {
        }
        var back = start.AddMinutes(-10);
        Assert.IsFalse(bucket.TryTake(back), "stepping back is no time passing");
        Assert.IsFalse(bucket.TryTake(back.AddMilliseconds(100)));
        Assert.IsTrue(bucket.TryTake(back.AddMilliseconds(200)), "time counts on from the stepped-back reading");
    }

    [TestMethod]
    public void ABucketGuardedByItsCallerLimitsLikeOneThatLocks()
    {
        var clock = new FakeTimeProvider();
        var guarded = new TokenBucket(clock, 3, guardedByCaller: true);
        var locking = new TokenBucket(clock, 3);
        for (var step = 0; step < 20; step++)
        {
            Assert.AreEqual(locking.TryTake(), guarded.TryTake(), $"step {step}");
            Assert.AreEqual(locking.HasToken(), guarded.HasToken(), $"step {step}");
            clock.Advance(TimeSpan.FromMilliseconds(step % 3 == 0 ? 500 : 50));
        }
    }
}
