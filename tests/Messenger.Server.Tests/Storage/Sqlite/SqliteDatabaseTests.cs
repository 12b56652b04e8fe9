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

        Assert.AreEqual(2L, ReadUserVersion());
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
