using Messenger.Server.Cluster;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Cluster;

/// <summary>The bus reads Redis's generation key first after a failure or reconnection, otherwise once a poll interval.</summary>
[TestClass]
public sealed class GenerationLookScheduleTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    [TestMethod]
    public void TheFirstReadLooksAndTheNextReadsWithinThePollIntervalDoNot()
    {
        var time = new FakeTimeProvider();
        var looks = new GenerationLookSchedule(Interval, time);

        Assert.IsTrue(looks.TakeIfDue());
        time.Advance(Interval / 2);
        Assert.IsFalse(looks.TakeIfDue());
        Assert.IsFalse(looks.TakeIfDue());
        time.Advance(Interval / 2);
        Assert.IsTrue(looks.TakeIfDue());
        Assert.IsFalse(looks.TakeIfDue());
    }

    [TestMethod]
    public void AFailedOrRestoredLinkMakesTheNextReadLookAtOnce()
    {
        var time = new FakeTimeProvider();
        var looks = new GenerationLookSchedule(Interval, time);
        Assert.IsTrue(looks.TakeIfDue());

        looks.LookNext();

        Assert.IsTrue(looks.TakeIfDue());
        Assert.IsFalse(looks.TakeIfDue());
    }
}
