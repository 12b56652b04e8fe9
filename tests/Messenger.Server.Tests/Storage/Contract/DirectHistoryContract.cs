using Messenger.Server.Storage;
namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>Direct-message history: kept per conversation, both directions, trimmed by age and count, purged per user.</summary>
public abstract class DirectHistoryContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [TestMethod]
    public async Task AConversationIsReadBackInBothDirectionsOldestFirstWithoutOtherConversations()
    {
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1, "hi bob", 0)]);
        await Store.AppendDirectHistoryAsync([Message("bob", "alice", 1, "hi alice", 1)]);
        await Store.AppendDirectHistoryAsync([Message("alice", "carol", 2, "not for bob", 2)]);

        var history = await (await ReopenAsync()).LoadDirectHistoryAsync("bob", "alice", 10);

        CollectionAssert.AreEqual(new[] { "hi bob", "hi alice" }, history.Select(m => m.Text).ToArray());
        Assert.AreEqual("bob", history[0].Recipient);
        Assert.AreEqual("alice", history[1].Recipient);
        Assert.AreEqual(T0.AddSeconds(1), history[1].SentAt);
    }

    [TestMethod]
    public async Task AResendIsKeptOnceAndOnlyTheLastFewAreRead()
    {
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1, "one")]);
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1, "one")]);
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 2, "two")]);
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 3, "three")]);

        CollectionAssert.AreEqual(new[] { "one", "two", "three" }, (await Store.LoadDirectHistoryAsync("alice", "bob", 10)).Select(m => m.Text).ToArray());
        CollectionAssert.AreEqual(new[] { "two", "three" }, (await Store.LoadDirectHistoryAsync("alice", "bob", 2)).Select(m => m.Text).ToArray());
    }

    [TestMethod]
    public async Task OneBatchOfSeveralConversationsIsKeptInItsOrderAndAResendInsideItOnce()
    {
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1, "first"), Message("carol", "alice", 1, "to alice"),
            Message("bob", "alice", 7, "second"), Message("alice", "bob", 1, "first"), Message("alice", "bob", 2, "third")]);

        CollectionAssert.AreEqual(new[] { "first", "second", "third" }, (await Store.LoadDirectHistoryAsync("bob", "alice", 10)).Select(m => m.Text).ToArray());
        CollectionAssert.AreEqual(new[] { "to alice" }, (await Store.LoadDirectHistoryAsync("alice", "carol", 10)).Select(m => m.Text).ToArray());
    }

    [TestMethod]
    public async Task TrimmingDropsWhatIsTooOldAndAllButTheNewestOfEachConversation()
    {
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1, "old", 0)]);
        for (var i = 2; i <= 5; i++)
        {
            await Store.AppendDirectHistoryAsync([Message("alice", "bob", i, $"m{i}", 100 + i)]);
        }
        await Store.AppendDirectHistoryAsync([Message("carol", "dave", 1, "short talk", 100)]);

        var removed = await Store.TrimDirectHistoryAsync(olderThan: T0.AddSeconds(50), maxPerConversation: 2);

        Assert.AreEqual(3, removed);
        CollectionAssert.AreEqual(new[] { "m4", "m5" }, (await Store.LoadDirectHistoryAsync("alice", "bob", 10)).Select(m => m.Text).ToArray());
        CollectionAssert.AreEqual(new[] { "short talk" }, (await Store.LoadDirectHistoryAsync("carol", "dave", 10)).Select(m => m.Text).ToArray());
    }

    [TestMethod]
    public async Task PurgingAUserRemovesEveryConversationOfThatUserOnly()
    {
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1)]);
        await Store.AppendDirectHistoryAsync([Message("carol", "alice", 1)]);
        await Store.AppendDirectHistoryAsync([Message("bob", "carol", 1, "kept")]);

        Assert.AreEqual(2, await Store.PurgeDirectHistoryAsync("alice"));

        Assert.IsEmpty(await Store.LoadDirectHistoryAsync("alice", "bob", 10));
        Assert.IsEmpty(await Store.LoadDirectHistoryAsync("carol", "alice", 10));
        Assert.HasCount(1, await Store.LoadDirectHistoryAsync("carol", "bob", 10));
    }
}
