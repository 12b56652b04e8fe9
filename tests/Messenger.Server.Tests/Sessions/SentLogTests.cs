using Messenger.Protocol.Contracts;
using Messenger.Server.Sessions;

namespace Messenger.Server.Tests.Sessions;

/// <summary>
/// A sender's log of message ids answers a resend with the first outcome whatever order the ids come in (the shortcut
/// for ids above all others must never hide one that is remembered), keeps exactly the last
/// <see cref="SentLog.Capacity"/> finished messages, and forgets on request.
/// </summary>
[TestClass]
public sealed class SentLogTests
{
    private static readonly RecordingLink Link = new();
    private static readonly Session Sender = new("alice", "token", Link, DateTimeOffset.UnixEpoch, new TokenBucket(TimeProvider.System, 10));

    private static SendWaiter Request(long messageId) => new(Sender, Link, 1, messageId);

    private static DeliveryOutcome? OutcomeOf(SentLog log, long messageId) => log.Find(messageId, out _);

    private static bool IsUnknown(SentLog log, long messageId) => log.Find(messageId, out var waiting) is null && waiting is null;

    [TestMethod]
    public void AMessageIsFoundInFlightThenWithItsOutcome()
    {
        var log = new SentLog();
        Assert.IsTrue(IsUnknown(log, 10), "never sent");
        var first = Request(10);
        log.Start(10, first);
        Assert.IsNull(log.Find(10, out var waiting));
        Assert.AreSame(first, waiting);
        Assert.AreSame(first, log.Finish(10, DeliveryOutcome.Stored), "finishing hands back the request that waited");
        Assert.AreEqual(DeliveryOutcome.Stored, OutcomeOf(log, 10));
        Assert.AreEqual(1, log.Count, "finishing moves the message, it does not copy it");
        Assert.IsNull(log.Finish(10, DeliveryOutcome.Delivered), "nothing waits for a finished message");
        Assert.AreEqual(DeliveryOutcome.Stored, OutcomeOf(log, 10), "the first outcome stays");
    }

    [TestMethod]
    public void IdsInAnyOrderAreFoundExactly()
    {
        var log = new SentLog();
        long[] ids = [500, 3, -7, long.MinValue, long.MaxValue, 499, 0];
        foreach (var id in ids)
        {
            log.Start(id, Request(id));
        }
        foreach (var id in ids.Where((_, i) => i % 2 == 0))
        {
            log.Finish(id, DeliveryOutcome.Delivered);
        }
        for (var i = 0; i < ids.Length; i++)
        {
            var expected = i % 2 == 0 ? DeliveryOutcome.Delivered : (DeliveryOutcome?)null;
            Assert.AreEqual(expected, log.Find(ids[i], out var waiting), $"id {ids[i]}");
            Assert.AreEqual(i % 2 == 0 ? null : ids[i], waiting?.MessageId, $"id {ids[i]} in flight");
        }
        Assert.IsTrue(IsUnknown(log, 1), "an id below the highest that was never sent");
    }

    [TestMethod]
    public void TheLastCapacityFinishedMessagesAreRememberedAndTheOldestForgottenFirst()
    {
        var log = new SentLog();
        const int extra = 10;
        for (long id = 1; id <= SentLog.Capacity + extra; id++)
        {
            log.Start(id, Request(id));
            log.Finish(id, id % 2 == 0 ? DeliveryOutcome.Delivered : DeliveryOutcome.Stored);
        }
        for (long id = 1; id <= extra; id++)
        {
            Assert.IsTrue(IsUnknown(log, id), $"id {id} is among the oldest");
        }
        for (long id = extra + 1; id <= SentLog.Capacity + extra; id++)
        {
            Assert.AreEqual(id % 2 == 0 ? DeliveryOutcome.Delivered : DeliveryOutcome.Stored, OutcomeOf(log, id), $"id {id}");
        }
        Assert.AreEqual(SentLog.Capacity, log.Count);
    }

    [TestMethod]
    public void AForgottenMessageIsNewAgainAndItsNeighboursStay()
    {
        var log = new SentLog();
        foreach (var id in new long[] { 1, 2, 3 })
        {
            log.Start(id, Request(id));
            log.Finish(id, DeliveryOutcome.Delivered);
        }
        log.Start(4, Request(4));
        log.Forget(2);
        log.Forget(4);
        Assert.IsTrue(IsUnknown(log, 2), "a finished message forgotten");
        Assert.IsTrue(IsUnknown(log, 4), "a message in flight forgotten");
        Assert.AreEqual(DeliveryOutcome.Delivered, OutcomeOf(log, 1));
        Assert.AreEqual(DeliveryOutcome.Delivered, OutcomeOf(log, 3));

        log.Start(2, Request(2));
        log.Finish(2, DeliveryOutcome.Stored);
        Assert.AreEqual(DeliveryOutcome.Stored, OutcomeOf(log, 2), "sent again, it has its new outcome");
    }
}
