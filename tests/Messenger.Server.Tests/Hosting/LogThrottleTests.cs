using Messenger.Server.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Hosting;

/// <summary>A storm of identical warnings becomes one line and a count.</summary>
[TestClass]
public sealed class LogThrottleTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [TestMethod]
    public void OnlyTheFirstOccurrencePerKeyAndWindowIsLogged()
    {
        var throttle = new LogThrottle(new FakeTimeProvider(), Window);

        Assert.IsTrue(throttle.ShouldLog("alice"));
        Assert.IsFalse(throttle.ShouldLog("alice"));
        Assert.IsFalse(throttle.ShouldLog("alice"));
        Assert.IsTrue(throttle.ShouldLog("bob"), "another key has its own window");
    }

    [TestMethod]
    public void TheCountOfWhatWasNotLoggedIsReportedOnceTheWindowIsOver()
    {
        var clock = new FakeTimeProvider();
        var throttle = new LogThrottle(clock, Window);
        throttle.ShouldLog("alice");
        for (var i = 0; i < 17_000; i++)
        {
            throttle.ShouldLog("alice");
        }
        throttle.ShouldLog("bob");
        var reports = new List<(string, int)>();

        throttle.Flush((key, count) => reports.Add((key, count)));
        Assert.AreEqual(0, reports.Count, "the window is not over yet");

        clock.Advance(Window);
        throttle.Flush((key, count) => reports.Add((key, count)));
        CollectionAssert.AreEqual(new List<(string, int)> { ("alice", 17_000) }, reports, "bob had nothing suppressed");
        Assert.IsTrue(throttle.ShouldLog("alice"), "a new window starts with a logged line");
    }

    [TestMethod]
    public void ManyKeysDoNotGrowItWithoutBound()
    {
        var throttle = new LogThrottle(new FakeTimeProvider(), Window);
        for (var i = 0; i < LogThrottle.MaxKeys; i++)
        {
            Assert.IsTrue(throttle.ShouldLog($"user{i}"));
        }

        Assert.IsFalse(throttle.ShouldLog("one-too-many"), "full: counted nowhere, logged nowhere, until the next flush");
        var flushed = 0;
        throttle.Flush((_, _) => flushed++);
        Assert.IsTrue(throttle.ShouldLog("one-too-many"), "the flush of a full table makes room");
    }
}
