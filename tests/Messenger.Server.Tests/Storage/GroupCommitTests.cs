using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage;

/// <summary>The store's group commit: writes queued during one commit share the next, and stay individually correct.</summary>
[TestClass]
public sealed class GroupCommitTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private string directory = null!;
    private SqliteServerStore store = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void Open()
    {
        directory = Path.Combine(Path.GetTempPath(), "messenger-group-commit-test-" + Guid.NewGuid().ToString("N"));
        store = SqliteServerStore.Open(directory);
    }

    [TestCleanup]
    public void Delete()
    {
        store.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private static StoredMessage Message(string recipient, long messageId, string text = "hi") =>
        new(0, "alice", recipient, messageId, text, T0);

    [TestMethod]
    public async Task WritesQueuedWhileACommitIsBlockedShareAtMostOneMoreTransaction()
    {
        var before = store.Commits;
        Task[] queued = [];
        store.WhileLockedForTest(() =>
            queued = [.. Enumerable.Range(1, 100).Select(i => store.RecordLoginAsync("user" + i, T0.AddSeconds(i)).AsTask())]);

        await Task.WhenAll(queued).WaitAsync(Deadline, TestContext.CancellationToken);

        Assert.IsLessThanOrEqualTo(2L, store.Commits - before, "100 queued writes need at most 2 transactions");
        store.Dispose();
        store = SqliteServerStore.Open(directory);
        var logouts = await store.LoadLastLogoutsAsync(T0.AddHours(1), TestContext.CancellationToken);
        Assert.HasCount(100, logouts, "every login was committed (and closed at reopen)");
    }

    [TestMethod]
    public async Task AFailingWriteInABatchFailsOnlyItsOwnCaller()
    {
        Task<long> first = null!, bad = null!, last = null!;
        store.WhileLockedForTest(() =>
        {
            first = store.StoreOfflineAsync(Message("bob", 1)).AsTask();
            bad = store.StoreOfflineAsync(Message("bob", 2, text: null!)).AsTask(); // violates NOT NULL
            last = store.StoreOfflineAsync(Message("bob", 3)).AsTask();
        });

        await Assert.ThrowsAsync<Exception>(() => bad.WaitAsync(Deadline, TestContext.CancellationToken));
        Assert.IsGreaterThan(0L, await first.WaitAsync(Deadline, TestContext.CancellationToken));
        Assert.IsGreaterThan(0L, await last.WaitAsync(Deadline, TestContext.CancellationToken));
        var stored = await store.LoadOfflineAsync("bob", 0, 10, TestContext.CancellationToken);
        CollectionAssert.AreEqual(new long[] { 1, 3 }, stored.Select(m => m.MessageId).ToArray());
    }

    [TestMethod]
    public async Task ResultsOfBatchedWritesGoToTheirOwnCallers()
    {
        Task<long>[] ids = [];
        store.WhileLockedForTest(() =>
            ids = [.. Enumerable.Range(1, 20).Select(i => store.StoreOfflineAsync(Message("user" + (i % 3), i)).AsTask())]);

        var rowIds = await Task.WhenAll(ids).WaitAsync(Deadline, TestContext.CancellationToken);

        Assert.HasCount(20, rowIds.Distinct());
        foreach (var recipient in new[] { "user0", "user1", "user2" })
        {
            foreach (var message in await store.LoadOfflineAsync(recipient, 0, 100, TestContext.CancellationToken))
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
        store.WhileLockedForTest(() =>
            stores = [.. Enumerable.Range(1, 20).Select(i => store.StoreOfflineIfRoomAsync(Message("bob", i), Cap).AsTask())]);
        var more = Enumerable.Range(21, 10).Select(i => store.StoreOfflineIfRoomAsync(Message("bob", i), Cap).AsTask()).ToArray();

        var results = await Task.WhenAll(stores.Concat(more)).WaitAsync(Deadline, TestContext.CancellationToken);

        Assert.AreEqual(Cap, results.Count(id => id is not null), "exactly the cap was stored");
        Assert.AreEqual(Cap, await store.CountOfflineAsync("bob", TestContext.CancellationToken));
    }

    [TestMethod]
    public async Task AResendOfAStoredMessageGetsItsRowEvenWhenTheMailboxIsFull()
    {
        var first = await store.StoreOfflineIfRoomAsync(Message("bob", 1), maxPerRecipient: 1, TestContext.CancellationToken);

        var resend = await store.StoreOfflineIfRoomAsync(Message("bob", 1), maxPerRecipient: 1, TestContext.CancellationToken);
        var another = await store.StoreOfflineIfRoomAsync(Message("bob", 2), maxPerRecipient: 1, TestContext.CancellationToken);

        Assert.IsNotNull(first);
        Assert.AreEqual(first, resend, "the resend is the same stored message, not refused");
        Assert.IsNull(another, "the mailbox is full");
    }

    [TestMethod]
    public async Task DisposeCommitsWhatWasAlreadyQueued()
    {
        Task queued = null!;
        store.WhileLockedForTest(() => queued = store.StoreOfflineAsync(Message("bob", 7)).AsTask());

        store.Dispose();

        await queued.WaitAsync(Deadline, TestContext.CancellationToken);
        store = SqliteServerStore.Open(directory);
        Assert.AreEqual(1, await store.CountOfflineAsync("bob", TestContext.CancellationToken));
    }
}
