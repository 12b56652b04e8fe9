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
}
