using Messenger.Server.Storage;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Tests.Storage;

[TestClass]
public sealed class SqliteServerStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private string directory = null!;
    private SqliteServerStore? store;

    [TestInitialize]
    public void CreateDirectory()
    {
        directory = Path.Combine(Path.GetTempPath(), "messenger-store-test-" + Guid.NewGuid().ToString("N"));
        store = SqliteServerStore.Open(directory);
    }

    [TestCleanup]
    public void DeleteDirectory()
    {
        store?.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private SqliteServerStore Store => store!;

    private SqliteServerStore Reopen()
    {
        store?.Dispose();
        store = SqliteServerStore.Open(directory);
        return store;
    }

    private SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, SqliteServerStore.FileName),
            Pooling = false,
        }.ToString());
        connection.Open();
        return connection;
    }

    private long ReadUserVersion()
    {
        using var connection = OpenRawConnection();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return (long)command.ExecuteScalar()!;
    }

    private static StoredMessage Message(string sender, string recipient, long messageId, string text = "hi", int secondsAfterT0 = 0) =>
        new(0, sender, recipient, messageId, text, T0.AddSeconds(secondsAfterT0));

    [TestMethod]
    public void OpenCreatesTheDirectoryAndDatabaseFile()
    {
        Assert.IsTrue(File.Exists(Path.Combine(directory, SqliteServerStore.FileName)));
    }

    [TestMethod]
    public void OpenSetsWalModeFullSynchronousAndABusyTimeout()
    {
        var (journalMode, synchronous, busyTimeout) = Store.ReadSettings();

        Assert.AreEqual("wal", journalMode);
        Assert.AreEqual(2L, synchronous, "synchronous=FULL");
        Assert.IsGreaterThan(0L, busyTimeout);
    }

    [TestMethod]
    public void OpenRecordsTheSchemaVersionInUserVersion()
    {
        Store.Dispose();
        store = null;

        Assert.AreEqual(1L, ReadUserVersion());
    }

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

        var reopened = Reopen();
        var loaded = await reopened.LoadOfflineAsync("bob", 0, 10);

        CollectionAssert.AreEqual(new[] { first, second }, loaded.Select(m => m.Id).ToArray());
        CollectionAssert.AreEqual(new[] { "one", "two" }, loaded.Select(m => m.Text).ToArray());
    }

    [TestMethod]
    public async Task IdsKeepGrowingAfterReopenSoOrderStaysOldestFirst()
    {
        var before = await Store.StoreOfflineAsync(Message("alice", "bob", 1));
        await Store.DeleteOfflineAsync([before]);

        var after = await Reopen().StoreOfflineAsync(Message("alice", "bob", 2));

        Assert.IsGreaterThan(before, after);
    }

    [TestMethod]
    public async Task ResendWithSameSenderMessageIdAndRecipientIsStoredOnceAndReturnsTheSameId()
    {
        var id = await Store.StoreOfflineAsync(Message("alice", "bob", 42, "original"));

        var again = await Store.StoreOfflineAsync(Message("alice", "bob", 42, "original"));
        var resentWithOtherText = await Store.StoreOfflineAsync(Message("alice", "bob", 42, "changed", 99));
        var afterReopen = await Reopen().StoreOfflineAsync(Message("alice", "bob", 42, "original"));

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

        var loaded = await Reopen().LoadOfflineAsync("bob", 0, 10);

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

        var loaded = (await Reopen().LoadOfflineAsync(recipient, 0, 10)).Single();

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
    public async Task LastLogoutIsTheLatestRecordedPerUser()
    {
        await Store.RecordLoginAsync("alice", T0);
        await Store.RecordLogoutAsync("alice", T0.AddMinutes(1));
        await Store.RecordLoginAsync("alice", T0.AddMinutes(2));
        await Store.RecordLogoutAsync("alice", T0.AddMinutes(3));
        await Store.RecordLoginAsync("bob", T0);
        await Store.RecordLogoutAsync("bob", T0.AddSeconds(30));
        await Store.RecordLogoutAsync("dave", T0.AddSeconds(40));   // last seen without a recorded login

        var logouts = await Reopen().LoadLastLogoutsAsync(T0.AddHours(1));

        Assert.HasCount(3, logouts);
        Assert.AreEqual(T0.AddSeconds(40), logouts["dave"]);
        Assert.AreEqual(T0.AddMinutes(3), logouts["alice"]);
        Assert.AreEqual(T0.AddSeconds(30), logouts["bob"]);
    }

    [TestMethod]
    public async Task UserWhoNeverLoggedInHasNoLastLogout()
    {
        var logouts = await Store.LoadLastLogoutsAsync(T0);

        Assert.IsEmpty(logouts);
    }

    [TestMethod]
    public async Task SessionLeftOpenByACrashIsClosedAtTheGivenTimeOnReload()
    {
        var restart = T0.AddHours(2);
        await Store.RecordLoginAsync("alice", T0);
        await Store.RecordLogoutAsync("alice", T0.AddMinutes(5));
        await Store.RecordLoginAsync("alice", T0.AddMinutes(10));   // still open when the server dies
        await Store.RecordLoginAsync("carol", T0.AddMinutes(20));   // first login ever, never closed
        await Store.RecordLoginAsync("bob", T0);
        await Store.RecordLogoutAsync("bob", T0.AddMinutes(1));     // closed properly

        var logouts = await Reopen().LoadLastLogoutsAsync(restart);

        Assert.AreEqual(restart, logouts["alice"]);
        Assert.AreEqual(restart, logouts["carol"]);
        Assert.AreEqual(T0.AddMinutes(1), logouts["bob"]);
    }

    [TestMethod]
    public async Task ClosingOpenSessionsIsPersistedSoALaterReloadKeepsThatTime()
    {
        var firstRestart = T0.AddHours(1);
        await Store.RecordLoginAsync("alice", T0);
        await Store.LoadLastLogoutsAsync(firstRestart);

        var logouts = await Reopen().LoadLastLogoutsAsync(T0.AddHours(5));

        Assert.AreEqual(firstRestart, logouts["alice"]);
    }

    [TestMethod]
    public async Task BlocksAreAddedLoadedAndRemoved()
    {
        await Store.AddBlockAsync("alice", "bob");
        await Store.AddBlockAsync("alice", "carol");
        await Store.AddBlockAsync("bob", "alice");
        await Store.RemoveBlockAsync("alice", "carol");

        var blocks = await Reopen().LoadBlocksAsync();

        CollectionAssert.AreEquivalent(new[] { new BlockEntry("alice", "bob"), new BlockEntry("bob", "alice") }, blocks.ToArray());
    }

    [TestMethod]
    public async Task AddingABlockTwiceKeepsOneEntryAndRemovingAMissingBlockIsHarmless()
    {
        await Store.AddBlockAsync("alice", "bob");
        await Store.AddBlockAsync("alice", "bob");
        await Store.RemoveBlockAsync("carol", "dave");

        var blocks = await Store.LoadBlocksAsync();

        CollectionAssert.AreEqual(new[] { new BlockEntry("alice", "bob") }, blocks.ToArray());
    }

    [TestMethod]
    public async Task LockoutsAreSavedOverwrittenAndLoaded()
    {
        var until = T0.AddSeconds(60);
        await Store.SaveLockoutAsync(new LockoutRecord("alice", 1, null));
        await Store.SaveLockoutAsync(new LockoutRecord("alice", 3, until));
        await Store.SaveLockoutAsync(new LockoutRecord("bob", 2, null));

        var lockouts = await Reopen().LoadLockoutsAsync();

        CollectionAssert.AreEquivalent(new[] { new LockoutRecord("alice", 3, until), new LockoutRecord("bob", 2, null) }, lockouts.ToArray());
    }

    [TestMethod]
    public async Task LockoutWithNoFailuresAndNoLockIsDeleted()
    {
        await Store.SaveLockoutAsync(new LockoutRecord("alice", 3, T0));
        await Store.SaveLockoutAsync(new LockoutRecord("bob", 1, null));

        await Store.SaveLockoutAsync(new LockoutRecord("alice", 0, null));
        await Store.SaveLockoutAsync(new LockoutRecord("nobody", 0, null));

        CollectionAssert.AreEqual(new[] { new LockoutRecord("bob", 1, null) }, (await Reopen().LoadLockoutsAsync()).ToArray());
    }

    [TestMethod]
    public async Task LockWithZeroFailuresIsKept()
    {
        await Store.SaveLockoutAsync(new LockoutRecord("alice", 0, T0));

        CollectionAssert.AreEqual(new[] { new LockoutRecord("alice", 0, T0) }, (await Store.LoadLockoutsAsync()).ToArray());
    }

    [TestMethod]
    public async Task DisposeClosesTheFileAndLaterCallsFailAsDisposed()
    {
        await Store.StoreOfflineAsync(Message("alice", "bob", 1));
        var path = Path.Combine(directory, SqliteServerStore.FileName);
        Assert.IsTrue(File.Exists(path + "-wal"), "WAL mode keeps a -wal file while the database is open");

        var disposed = Store;
        disposed.Dispose();
        disposed.Dispose();

        // SQLite checkpoints and removes the -wal file only when the last connection to the database closes,
        // so this fails if a pooled connection outlived Dispose.
        Assert.IsFalse(File.Exists(path + "-wal"));
        await Assert.ThrowsExactlyAsync<ObjectDisposedException>(async () => await disposed.CountOfflineAsync("bob"));
        Assert.AreEqual(1, await Reopen().CountOfflineAsync("bob"));
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
    public async Task ACanceledTokenCancelsBeforeWriting()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var call = Store.StoreOfflineAsync(Message("alice", "bob", 1), cancellation.Token);

        Assert.IsTrue(call.IsCanceled);
        Assert.AreEqual(0, await Store.CountOfflineAsync("bob"));
    }

    [TestMethod]
    public void ADatabaseFromANewerServerIsRefused()
    {
        Store.Dispose();
        store = null;
        using (var connection = OpenRawConnection())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => SqliteServerStore.Open(directory));
        StringAssert.Contains(error.Message, "99");
    }
}
