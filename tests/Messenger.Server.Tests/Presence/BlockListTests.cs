using Messenger.Server.Presence;

namespace Messenger.Server.Tests.Presence;

[TestClass]
public sealed class BlockListTests
{
    [TestMethod]
    public void BlocksAreOneWay()
    {
        var blocks = new BlockList([("bob", "alice")]);
        Assert.IsTrue(blocks.IsBlocked("bob", "alice"));
        Assert.IsFalse(blocks.IsBlocked("alice", "bob"));
    }

    [TestMethod]
    public void AddAndRemoveReportWhetherAnythingChanged()
    {
        var blocks = new BlockList([]);
        Assert.IsTrue(blocks.Add("a", "b"));
        Assert.IsFalse(blocks.Add("a", "b"));
        Assert.IsTrue(blocks.Remove("a", "b"));
        Assert.IsFalse(blocks.Remove("a", "b"));
        Assert.IsFalse(blocks.IsBlocked("a", "b"));
    }

    [TestMethod]
    public void LastSeenListsOnlyLogoutsInsideTheWindow()
    {
        var now = new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);
        var tracker = new LastSeenTracker(new Dictionary<string, DateTimeOffset> { ["old"] = now.AddMinutes(-10) });
        tracker.RecordLogout("recent", now.AddSeconds(-30));
        CollectionAssert.AreEquivalent(new[] { "recent" }, tracker.LoggedOutSince(now.AddMinutes(-1)).ToArray());
        CollectionAssert.AreEquivalent(new[] { "recent", "old" }, tracker.LoggedOutSince(now.AddHours(-1)).ToArray());
    }
}
