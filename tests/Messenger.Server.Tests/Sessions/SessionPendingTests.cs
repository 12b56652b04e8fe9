using Messenger.Server.Sessions;
using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Sessions;

/// <summary>
/// A session's unacknowledged deliveries: the memory their texts hold and the store rows among them are counted from
/// what each delivery carries, and given back exactly when it is taken (also after a sender started waiting on it).
/// </summary>
[TestClass]
public sealed class SessionPendingTests
{
    private static PendingDelivery Delivery(long deliveryId, string text, long storeRow = 0) =>
        new(deliveryId, new StoredMessage(storeRow, "alice", "bob", deliveryId, text, DateTimeOffset.UnixEpoch), IsBroadcast: false, Waiter: null);

    [TestMethod]
    public void ADeliveryCarriesItsTextsMemoryAndStoreRow()
    {
        var delivery = Delivery(1, "héllo", storeRow: 42);
        Assert.AreEqual(10, delivery.TextBytes, "five UTF-16 chars");
        Assert.AreEqual(42, delivery.StoreRow);
        Assert.AreEqual(0, Delivery(2, "x").StoreRow, "a live message is no store row");
    }

    [TestMethod]
    public void PendingBytesRiseWithEachDeliveryAndFallWhenItIsTaken()
    {
        var session = TestSessions.New();
        session.AddPending(Delivery(1, "abc"));
        session.AddPending(Delivery(2, "defgh"));
        Assert.AreEqual((2, 16L), (session.PendingCount, session.PendingBytes));

        Assert.AreEqual(2, session.TakePending(2)?.DeliveryId);
        Assert.AreEqual((1, 6L), (session.PendingCount, session.PendingBytes));
        Assert.IsNull(session.TakePending(2), "taken once");
        Assert.AreEqual(6L, session.PendingBytes, "a repeated acknowledgement changes nothing");
    }

    [TestMethod]
    public void AStoredRowIsPendingUntilItsDeliveryIsTaken()
    {
        var session = TestSessions.New();
        session.AddPending(Delivery(1, "live"));
        session.AddPending(Delivery(2, "stored", storeRow: 77));
        Assert.AreEqual(1, session.PendingStoreRowCount, "only the delivery from the store counts");
        Assert.IsTrue(session.HasPendingStoreRow(77));

        session.TakePending(1);
        Assert.IsTrue(session.HasPendingStoreRow(77), "taking the live one leaves the row");
        Assert.AreEqual(77, session.TakePending(2)?.StoreRow);
        Assert.AreEqual((0, 0L), (session.PendingStoreRowCount, session.PendingBytes));
    }

    [TestMethod]
    public void AWaiterAddedToAPendingRowKeepsItsCounts()
    {
        var session = TestSessions.New();
        session.AddPending(Delivery(5, "stored", storeRow: 9));
        var waiter = new SendWaiter(TestSessions.New(), new RecordingLink(), requestId: 3, messageId: 5);
        Assert.IsTrue(session.AddWaiterToPendingRow(9, waiter));

        var taken = session.TakePending(5);
        Assert.AreSame(waiter, taken?.Waiter);
        Assert.AreEqual((12L, 9L), (taken!.TextBytes, taken.StoreRow));
        Assert.AreEqual((0L, 0), (session.PendingBytes, session.PendingStoreRowCount));
    }
}
