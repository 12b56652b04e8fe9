using Messenger.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Tests.Storage.Sqlite;

/// <summary>Opening the file (settings, schema version), closing it, cancellation.</summary>
[TestClass]
public sealed class SqliteDatabaseTests : SqliteStoreTestBase
{
    private SqliteConnection OpenRawConnection()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
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

    [TestMethod]
    public void OpenCreatesTheDirectoryAndDatabaseFile()
    {
        Assert.IsTrue(File.Exists(DatabasePath));
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
        Close();

        Assert.AreEqual(5L, ReadUserVersion());
    }

    [TestMethod]
    public async Task AVersionTwoDatabaseKeepsItsDirectHistoryThroughTheUpgradeWithEachResendShownOnce()
    {
        Close();
        using (var connection = OpenRawConnection())
        {
            using var command = connection.CreateCommand();
            // The direct history as schema version 2 kept it (a resend would have been refused by its UNIQUE key).
            command.CommandText = """
                DROP TABLE direct_messages; DROP TABLE conversations; DROP TABLE asks_first; DROP TABLE direct_log; DROP TABLE direct_chunks;
                CREATE TABLE direct_history (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, user_low TEXT NOT NULL, user_high TEXT NOT NULL, sender TEXT NOT NULL,
                    message_id INTEGER NOT NULL, text TEXT NOT NULL, sent_at_ms INTEGER NOT NULL,
                    UNIQUE (sender, message_id, user_low, user_high));
                INSERT INTO direct_history (user_low, user_high, sender, message_id, text, sent_at_ms) VALUES
                    ('alice', 'bob', 'alice', 1, 'from alice', 1000), ('alice', 'bob', 'bob', 1, 'from bob', 2000),
                    ('bob', 'carol', 'carol', 7, 'elsewhere', 3000);
                PRAGMA user_version = 2;
                """;
            await command.ExecuteNonQueryAsync();
        }

        var upgraded = Reopen();
        await upgraded.AppendDirectHistoryAsync([Message("bob", "alice", 1, "from bob")]); // a resend after the upgrade

        var history = await upgraded.LoadDirectHistoryAsync("bob", "alice", 10);
        CollectionAssert.AreEqual(new[] { "alice:from alice", "bob:from bob" }, history.Select(m => $"{m.Sender}:{m.Text}").ToArray());
        Assert.AreEqual(DateTimeOffset.FromUnixTimeMilliseconds(2000), history[1].SentAt);
        Assert.AreEqual("carol", (await upgraded.LoadDirectHistoryAsync("carol", "bob", 10)).Single().Sender);
    }

    [TestMethod]
    public void ADatabaseFromANewerServerIsRefused()
    {
        Close();
        using (var connection = OpenRawConnection())
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            command.ExecuteNonQuery();
        }

        var error = Assert.ThrowsExactly<InvalidOperationException>(() => SqliteStore.Open(DataDirectory));
        StringAssert.Contains(error.Message, "99");
    }

    [TestMethod]
    public async Task DisposeClosesTheFileAndLaterCallsFailAsDisposed()
    {
        await Store.StoreOfflineAsync(Message("alice", "bob", 1));
        var path = DatabasePath;
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
    public async Task ACanceledTokenCancelsBeforeWriting()
    {
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        var call = Store.StoreOfflineAsync(Message("alice", "bob", 1), cancellation.Token);

        Assert.IsTrue(call.IsCanceled);
        Assert.AreEqual(0, await Store.CountOfflineAsync("bob"));
    }
}
