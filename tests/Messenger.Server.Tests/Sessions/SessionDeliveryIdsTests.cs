using Messenger.Server.Sessions;

namespace Messenger.Server.Tests.Sessions;

/// <summary>A session's delivery ids come from its block, one by one, until the block is used up or ended.</summary>
[TestClass]
public sealed class SessionDeliveryIdsTests
{
    [TestMethod]
    public void ANewSessionHasNoBlockYet() => Assert.IsFalse(TestSessions.New().TryTakeDeliveryId(out _));

    [TestMethod]
    public void IdsComeFromTheBlockInOrderUntilItIsUsedUp()
    {
        var session = TestSessions.New();
        Assert.AreEqual(100, session.StartDeliveryIds(100, 3), "the block's first id is taken at once");
        Assert.IsTrue(session.TryTakeDeliveryId(out var second));
        Assert.IsTrue(session.TryTakeDeliveryId(out var third));
        Assert.AreEqual((101L, 102L), (second, third));
        Assert.IsFalse(session.TryTakeDeliveryId(out _), "three ids, three taken");
    }

    [TestMethod]
    public void AnEndedBlockGivesNoMoreIds()
    {
        var session = TestSessions.New();
        session.StartDeliveryIds(1, 1024);
        session.EndDeliveryIds();
        Assert.IsFalse(session.TryTakeDeliveryId(out _));
        Assert.AreEqual(5000, session.StartDeliveryIds(5000, 1024), "the next delivery starts a new block");
        Assert.IsTrue(session.TryTakeDeliveryId(out var next));
        Assert.AreEqual(5001, next);
    }
}
