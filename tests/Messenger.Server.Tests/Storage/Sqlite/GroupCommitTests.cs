using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage.Sqlite;

/// <summary>The store's group commit: writes queued during one commit share the next, and stay individually correct.</summary>
[TestClass]
public sealed class GroupCommitTests : SqliteStoreTestBase
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public TestContext TestContext { get; set; } = null!;

    private static StoredMessage Message(string recipient, long messageId, string text = "hi") => Message("alice", recipient, messageId, text);

    [TestMethod]
    public async Task WritesQueuedWhileACommitIsBlockedShareAtMostOneMoreTransaction()
    {
        var before = Store.Commits;
        Task[] queued = [];
        Store.WhileLockedForTest(() =>
            queued = [.. Enumerable.Range(1, 100).Select(i => Store.RecordLoginAsync("user" + i, T0.AddSeconds(i)).AsTask())]);

        await Task.WhenAll(queued).WaitAsync(Deadline, TestContext.CancellationToken);

        Assert.IsLessThanOrEqualTo(2L, Store.Commits - before, "100 queued writes need at most 2 transactions");
        var logouts = await Reopen().LoadLastLogoutsAsync(T0.AddHours(1), TestContext.CancellationToken);
        Assert.HasCount(100, logouts, "every login was committed (and closed at reopen)");
    }

    [TestMethod]
    public async Task AFailingWriteInABatchFailsOnlyItsOwnCaller()
    {
        Task<long> first = null!, bad = null!, last = null!;
        Store.WhileLockedForTest(() =>
        {
            first = Store.StoreOfflineAsync(Message("bob", 1)).AsTask();
            bad = Store.StoreOfflineAsync(Message("bob", 2, text: null!)).AsTask(); // violates NOT NULL
            last = Store.StoreOfflineAsync(Message("bob", 3)).AsTask();
        });

        await Assert.ThrowsAsync<Exception>(() => bad.WaitAsync(Deadline, TestContext.CancellationToken));
        Assert.IsGreaterThan(0L, await first.WaitAsync(Deadline, TestContext.CancellationToken));
        Assert.IsGreaterThan(0L, await last.WaitAsync(Deadline, TestContext.CancellationToken));
        var stored = await Store.LoadOfflineAsync("bob", 0, 10, TestContext.CancellationToken);
        CollectionAssert.AreEqual(new long[] { 1, 3 }, stored.Select(m => m.MessageId).ToArray());
    }

    [TestMethod]
    public async Task ResultsOfBatchedWritesGoToTheirOwnCallers()
    {
        Task<long>[] ids = [];
        Store.WhileLockedForTest(() =>
            ids = [.. Enumerable.Range(1, 20).Select(i => Store.StoreOfflineAsync(Message("user" + (i % 3), i)).AsTask())]);

        var rowIds = await Task.WhenAll(ids).WaitAsync(Deadline, TestContext.CancellationToken);

        Assert.HasCount(20, rowIds.Distinct());
        foreach (var recipient in new[] { "user0", "user1", "user2" })
        {
            foreach (var message in await Store.LoadOfflineAsync(recipient, 0, 100, TestContext.CancellationToken))
            {
                Assert.AreEqual(message.Id, rowIds[message.MessageId - 1], $"message {message.MessageId} got its own row id");
            }
        }
    }

    [TestMethod]
    public async Task ConcurrentSendersCannotOvershootTheMailboxCap()
    {
        const int Cap = 5;
        Task<long?>[] stores = [];
        Store.WhileLockedForTest(() =>
            stores = [.. Enumerable.Range(1, 20).Select(i => Store.StoreOfflineIfRoomAsync(Message("bob", i), Cap).AsTask())]);
        var more = Enumerable.Range(21, 10).Select(i => Store.StoreOfflineIfRoomAsync(Message("bob", i), Cap).AsTask()).ToArray();

        var results = await Task.WhenAll(stores.Concat(more)).WaitAsync(Deadline, TestContext.CancellationToken);

        Assert.AreEqual(Cap, results.Count(id => id is not null), "exactly the cap was stored");
        Assert.AreEqual(Cap, await Store.CountOfflineAsync("bob", TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task AResendOfAStoredMessageGetsItsRowEvenWhenTheMailboxIsFull()
    {
        var first = await Store.StoreOfflineIfRoomAsync(Message("bob", 1), maxPerRecipient: 1, TestContext.CancellationToken);

        var resend = await Store.StoreOfflineIfRoomAsync(Message("bob", 1), maxPerRecipient: 1, TestContext.CancellationToken);
        var another = await Store.StoreOfflineIfRoomAsync(Message("bob", 2), maxPerRecipient: 1, TestContext.CancellationToken);

        Assert.IsNotNull(first);
        Assert.AreEqual(first, resend, "the resend is the same stored message, not refused");
        Assert.IsNull(another, "the mailbox is full");
    }

    [TestMethod]
    public async Task DisposeCommitsWhatWasAlreadyQueued()
    {
        Task queued = null!;
        Store.WhileLockedForTest(() => queued = Store.StoreOfflineAsync(Message("bob", 7)).AsTask());

        Store.Dispose();

        await queued.WaitAsync(Deadline, TestContext.CancellationToken);
        Assert.AreEqual(1, await Reopen().CountOfflineAsync("bob", TestContext.CancellationToken));
    }
}
