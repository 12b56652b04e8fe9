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
    private static readonly SentMessageState InFlight = new(null, []);

    [TestMethod]
    public void AMessageIsFoundInFlightThenWithItsOutcome()
    {
        var log = new SentLog();
        Assert.IsNull(log.Find(10), "never sent");
        log.Remember(10, InFlight);
        Assert.AreSame(InFlight, log.Find(10));
        log.Remember(10, SentMessageState.Finished(DeliveryOutcome.Stored));
        Assert.AreEqual(DeliveryOutcome.Stored, log.Find(10)?.Outcome);
        Assert.AreEqual(1, log.Count, "finishing moves the message, it does not copy it");
    }

    [TestMethod]
    public void IdsInAnyOrderAreFoundExactly()
    {
        var log = new SentLog();
        long[] ids = [500, 3, -7, long.MinValue, long.MaxValue, 499, 0];
        foreach (var id in ids)
        {
            log.Remember(id, InFlight);
        }
        foreach (var id in ids.Where((_, i) => i % 2 == 0))
        {
            log.Remember(id, SentMessageState.Finished(DeliveryOutcome.Delivered));
        }
        for (var i = 0; i < ids.Length; i++)
        {
            var expected = i % 2 == 0 ? DeliveryOutcome.Delivered : (DeliveryOutcome?)null;
            Assert.AreEqual(expected, log.Find(ids[i])?.Outcome, $"id {ids[i]}");
        }
        Assert.IsNull(log.Find(1), "an id below the highest that was never sent");
    }

    [TestMethod]
    public void TheLastCapacityFinishedMessagesAreRememberedAndTheOldestForgottenFirst()
    {
        var log = new SentLog();
        const int extra = 10;
        for (long id = 1; id <= SentLog.Capacity + extra; id++)
        {
            log.Remember(id, InFlight);
            log.Remember(id, SentMessageState.Finished(id % 2 == 0 ? DeliveryOutcome.Delivered : DeliveryOutcome.Stored));
        }
        for (long id = 1; id <= extra; id++)
        {
            Assert.IsNull(log.Find(id), $"id {id} is among the oldest");
        }
        for (long id = extra + 1; id <= SentLog.Capacity + extra; id++)
        {
            Assert.AreEqual(id % 2 == 0 ? DeliveryOutcome.Delivered : DeliveryOutcome.Stored, log.Find(id)?.Outcome, $"id {id}");
        }
        Assert.AreEqual(SentLog.Capacity, log.Count);
    }

    [TestMethod]
    public void AForgottenMessageIsNewAgainAndItsNeighboursStay()
    {
        var log = new SentLog();
        foreach (var id in new long[] { 1, 2, 3 })
        {
            log.Remember(id, InFlight);
            log.Remember(id, SentMessageState.Finished(DeliveryOutcome.Delivered));
        }
        log.Remember(4, InFlight);
        log.Forget(2);
        log.Forget(4);
        Assert.IsNull(log.Find(2), "a finished message forgotten");
        Assert.IsNull(log.Find(4), "a message in flight forgotten");
        Assert.AreEqual(DeliveryOutcome.Delivered, log.Find(1)?.Outcome);
        Assert.AreEqual(DeliveryOutcome.Delivered, log.Find(3)?.Outcome);

        log.Remember(2, InFlight);
        log.Remember(2, SentMessageState.Finished(DeliveryOutcome.Stored));
        Assert.AreEqual(DeliveryOutcome.Stored, log.Find(2)?.Outcome, "sent again, it has its new outcome");
    }
}
