using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>Offline mailboxes: storing, paging, resends, deleting, counting: the contract every store engine keeps.</summary>
public abstract class MailboxContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [TestMethod]
    public async Task StoredMessagesComeBackOldestFirstWithAllFields()
    {
        var first = await Store.StoreOfflineAsync(Message("alice", "bob", 7, "first", 10));
        var second = await Store.StoreOfflineAsync(Message("carol", "bob", 3, "second", 5));
        var third = await Store.StoreOfflineAsync(Message("alice", "bob", 8, "third", 20));

        var loaded = await Store.LoadOfflineAsync("bob", 0, 10);

        CollectionAssert.AreEqual(new[] { first, second, third }, loaded.Select(m => m.Id).ToArray());
        Assert.AreEqual(new StoredMessage(first, "alice", "bob", 7, "first", T0.AddSeconds(10)), loaded[0]);
        Assert.AreEqual(new StoredMessage(second, "carol", "bob", 3, "second", T0.AddSeconds(5)), loaded[1]);
    }

    [TestMethod]
    public async Task LoadReturnsAtMostMaxOldestMessages()
    {
        var ids = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await Store.StoreOfflineAsync(Message("alice", "bob", i)));
        }

        var loaded = await Store.LoadOfflineAsync("bob", 0, 3);

        CollectionAssert.AreEqual(ids.Take(3).ToArray(), loaded.Select(m => m.Id).ToArray());
        Assert.IsEmpty(await Store.LoadOfflineAsync("bob", 0, 0));
    }

    [TestMethod]
    public async Task NegativeMaxIsRefusedInsteadOfMeaningUnlimited()
    {
        await Assert.ThrowsExactlyAsync<ArgumentOutOfRangeException>(async () => await Store.LoadOfflineAsync("bob", 0, -1));
    }

    [TestMethod]
    public async Task StoredMessagesSurviveClosingAndReopeningTheStore()
    {
        var first = await Store.StoreOfflineAsync(Message("alice", "bob", 1, "one"));
        var second = await Store.StoreOfflineAsync(Message("alice", "bob", 2, "two"));

        var reopened = await ReopenAsync();
        var loaded = await reopened.LoadOfflineAsync("bob", 0, 10);

        CollectionAssert.AreEqual(new[] { first, second }, loaded.Select(m => m.Id).ToArray());
        CollectionAssert.AreEqual(new[] { "one", "two" }, loaded.Select(m => m.Text).ToArray());
    }

    [TestMethod]
    public async Task IdsKeepGrowingAfterReopenSoOrderStaysOldestFirst()
    {
        var before = await Store.StoreOfflineAsync(Message("alice", "bob", 1));
        await Store.DeleteOfflineAsync([before]);

        var after = await (await ReopenAsync()).StoreOfflineAsync(Message("alice", "bob", 2));

        Assert.IsGreaterThan(before, after);
    }

    [TestMethod]
    public async Task ResendWithSameSenderMessageIdAndRecipientIsStoredOnceAndReturnsTheSameId()
    {
        var id = await Store.StoreOfflineAsync(Message("alice", "bob", 42, "original"));

        var again = await Store.StoreOfflineAsync(Message("alice", "bob", 42, "original"));
        var resentWithOtherText = await Store.StoreOfflineAsync(Message("alice", "bob", 42, "changed", 99));
        var afterReopen = await (await ReopenAsync()).StoreOfflineAsync(Message("alice", "bob", 42, "original"));

        Assert.AreEqual(id, again);
        Assert.AreEqual(id, resentWithOtherText);
        Assert.AreEqual(id, afterReopen);
        Assert.AreEqual(1, await Store.CountOfflineAsync("bob"));
        Assert.AreEqual("original", (await Store.LoadOfflineAsync("bob", 0, 10))[0].Text);
    }

    [TestMethod]
    public async Task SameMessageIdFromOtherSenderOrToOtherRecipientIsADifferentMessage()
    {
        var original = await Store.StoreOfflineAsync(Message("alice", "bob", 1));
        var otherSender = await Store.StoreOfflineAsync(Message("carol", "bob", 1));
        var otherRecipient = await Store.StoreOfflineAsync(Message("alice", "dave", 1));

        Assert.AreEqual(3, new[] { original, otherSender, otherRecipient }.Distinct().Count());
        Assert.AreEqual(2, await Store.CountOfflineAsync("bob"));
        Assert.AreEqual(1, await Store.CountOfflineAsync("dave"));
    }

    [TestMethod]
    public async Task DeleteRemovesOnlyTheGivenIds()
    {
        var a = await Store.StoreOfflineAsync(Message("alice", "bob", 1));
        var b = await Store.StoreOfflineAsync(Message("alice", "bob", 2));
        var c = await Store.StoreOfflineAsync(Message("alice", "bob", 3));
        var d = await Store.StoreOfflineAsync(Message("alice", "bob", 4));

        await Store.DeleteOfflineAsync([a, c]);

        CollectionAssert.AreEqual(new[] { b, d }, (await Store.LoadOfflineAsync("bob", 0, 10)).Select(m => m.Id).ToArray());
    }

    [TestMethod]
    public async Task DeleteIgnoresUnknownIdsAndEmptyBatches()
    {
        var a = await Store.StoreOfflineAsync(Message("alice", "bob", 1));

        await Store.DeleteOfflineAsync([]);
        await Store.DeleteOfflineAsync([a + 1000, -5]);

        Assert.AreEqual(1, await Store.CountOfflineAsync("bob"));
        await Store.DeleteOfflineAsync([a, a]);
        Assert.AreEqual(0, await Store.CountOfflineAsync("bob"));
    }

    [TestMethod]
    public async Task DeletedMessagesStayDeletedAfterReopen()
    {
        var a = await Store.StoreOfflineAsync(Message("alice", "bob", 1));
        var b = await Store.StoreOfflineAsync(Message("alice", "bob", 2));
        await Store.DeleteOfflineAsync([a]);

        var loaded = await (await ReopenAsync()).LoadOfflineAsync("bob", 0, 10);

        CollectionAssert.AreEqual(new[] { b }, loaded.Select(m => m.Id).ToArray());
    }

    [TestMethod]
    public async Task CountIsPerRecipientAndZeroForUnknownUsers()
    {
        await Store.StoreOfflineAsync(Message("alice", "bob", 1));
        await Store.StoreOfflineAsync(Message("alice", "bob", 2));
        await Store.StoreOfflineAsync(Message("bob", "alice", 1));

        Assert.AreEqual(2, await Store.CountOfflineAsync("bob"));
        Assert.AreEqual(1, await Store.CountOfflineAsync("alice"));
        Assert.AreEqual(0, await Store.CountOfflineAsync("nobody"));
    }

    [TestMethod]
    public async Task EachRecipientSeesOnlyTheirOwnMessages()
    {
        var toBob = await Store.StoreOfflineAsync(Message("alice", "bob", 1, "for bob"));
        var toCarol = await Store.StoreOfflineAsync(Message("alice", "carol", 2, "for carol"));
        var toBob2 = await Store.StoreOfflineAsync(Message("carol", "bob", 1, "also for bob"));

        var bobs = await Store.LoadOfflineAsync("bob", 0, 10);
        var carols = await Store.LoadOfflineAsync("carol", 0, 10);

        CollectionAssert.AreEqual(new[] { toBob, toBob2 }, bobs.Select(m => m.Id).ToArray());
        Assert.IsTrue(bobs.All(m => m.Recipient == "bob"));
        CollectionAssert.AreEqual(new[] { toCarol }, carols.Select(m => m.Id).ToArray());
        Assert.IsEmpty(await Store.LoadOfflineAsync("Bob", 0, 10), "user names are case-sensitive");
    }

    [TestMethod]
    public async Task UnicodeTextAndNamesRoundTripExactly()
    {
        const string text = "héllo 👋 мир 世界 \u0000 end \r\n\t \"quotes\" 'and' ; DROP TABLE offline_messages; --";
        const string sender = "ålice🙂";
        const string recipient = "бob";
        await Store.StoreOfflineAsync(new StoredMessage(0, sender, recipient, long.MaxValue, text, T0));

        var loaded = (await (await ReopenAsync()).LoadOfflineAsync(recipient, 0, 10)).Single();

        Assert.AreEqual(text, loaded.Text);
        Assert.AreEqual(sender, loaded.Sender);
        Assert.AreEqual(recipient, loaded.Recipient);
        Assert.AreEqual(long.MaxValue, loaded.MessageId);
    }

    [TestMethod]
    public async Task TimesRoundTripToTheMillisecondAsUtc()
    {
        var sentAt = new DateTimeOffset(2026, 3, 1, 8, 30, 15, 123, TimeSpan.FromHours(5));
        await Store.StoreOfflineAsync(new StoredMessage(0, "alice", "bob", 1, "x", sentAt));

        var loaded = (await Store.LoadOfflineAsync("bob", 0, 1)).Single();

        Assert.AreEqual(sentAt, loaded.SentAt);
        Assert.AreEqual(sentAt.ToUnixTimeMilliseconds(), loaded.SentAt.ToUnixTimeMilliseconds());
    }

    [TestMethod]
    public async Task ConcurrentCallersFromManyThreadsEachGetTheirMessageStoredExactlyOnce()
    {
        const int senders = 8;
        const int perSender = 25;

        await Parallel.ForAsync(0, senders, async (sender, cancellationToken) =>
        {
            for (var i = 0; i < perSender; i++)
            {
                var message = Message("sender" + sender, "bob", i);
                var id = await Store.StoreOfflineAsync(message, cancellationToken);
                Assert.AreEqual(id, await Store.StoreOfflineAsync(message, cancellationToken));
                await Store.CountOfflineAsync("bob", cancellationToken);
            }
        });

        var loaded = await Store.LoadOfflineAsync("bob", 0, senders * perSender + 1);
        Assert.HasCount(senders * perSender, loaded);
        Assert.AreEqual(senders * perSender, loaded.Select(m => (m.Sender, m.MessageId)).Distinct().Count());
    }

    [TestMethod]
    public async Task ConcurrentSendersCannotOvershootTheMailboxCapAndResendsKeepTheirRow()
    {
        const int Cap = 5;
        var stores = await Task.WhenAll(Enumerable.Range(1, 30).Select(i => Store.StoreOfflineIfRoomAsync(Message("sender" + (i % 4), "bob", i), Cap).AsTask()));

        Assert.AreEqual(Cap, stores.Count(id => id is not null));
        Assert.AreEqual(Cap, await Store.CountOfflineAsync("bob"));
        var kept = (await Store.LoadOfflineAsync("bob", 0, 10))[0];
        Assert.AreEqual(kept.Id, await Store.StoreOfflineIfRoomAsync(kept with { Id = 0 }, Cap), "a resend of a stored message takes no new room");
        Assert.IsNull(await Store.StoreOfflineIfRoomAsync(Message("late", "bob", 99), Cap));
    }
}
