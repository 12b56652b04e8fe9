using Messenger.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Tests.Storage.Sqlite;

/// <summary>The C-API statements of the direct history's hot inserts: values, failures, transactions, closing.</summary>
[TestClass]
public sealed class SqliteRawStatementTests
{
    private string directory = null!;
    private SqliteDatabase database = null!;

    [TestInitialize]
    public void Open()
    {
        directory = Path.Combine(Path.GetTempPath(), "messenger-raw-test-" + Guid.NewGuid().ToString("N"));
        database = SqliteDatabase.Open(directory);
    }

    [TestCleanup]
    public void Delete()
    {
        database.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private byte[]? ReadLogRow(long id)
    {
        var read = database.Prepare("SELECT rows FROM direct_log WHERE id = $id;", "$id");
        read.Bind(("$id", id));
        return database.Transact(() => read.ExecuteScalar() as byte[]);
    }

    [TestMethod]
    public void RunReturnsTheIdOfTheInsertedRowAndTheRowHoldsTheBlobBoundFromASpan()
    {
        var insert = database.PrepareRaw("INSERT INTO direct_log (rows) VALUES (?1) RETURNING id;");
        byte[] bytes = [9, 1, 2, 3, 4, 9];

        var first = database.Transact(() =>
        {
            insert.Bind(1, bytes.AsSpan(1, 4));
            return insert.Run();
        });
        var second = database.Transact(() =>
        {
            insert.Bind(1, bytes.AsSpan(0, 2));
            return insert.Run();
        });

        Assert.IsNotNull(first);
        Assert.AreEqual(first + 1, second, "the statement was reset and ran again");
        CollectionAssert.AreEqual(new byte[] { 1, 2, 3, 4 }, ReadLogRow(first.Value));
        CollectionAssert.AreEqual(new byte[] { 9, 1 }, ReadLogRow(second!.Value));
    }

    [TestMethod]
    public void AStepThatBreaksAConstraintThrowsAndRollsBackItsTransactionAndTheStatementStillRunsAfterwards()
    {
        var insert = database.PrepareRaw("INSERT INTO direct_log (rows) VALUES (?1) RETURNING id;");
        var kept = database.PrepareRaw("INSERT INTO direct_log (rows) VALUES (?1) RETURNING id;");

        var failure = Assert.ThrowsExactly<SqliteException>(() => database.Transact(() =>
        {
            kept.Bind(1, [7]);
            var id = kept.Run();
            insert.Run(); // ?1 never bound: NULL into a NOT NULL column
            return id;
        }));
        var after = database.Transact(() =>
        {
            insert.Bind(1, [8]);
            return insert.Run();
        });

        StringAssert.Contains(failure.Message, "NOT NULL");
        CollectionAssert.AreEqual(new byte[] { 8 }, ReadLogRow(after!.Value));
        var count = database.Prepare("SELECT count(*) FROM direct_log;");
        Assert.AreEqual(1L, database.Transact(() => (long)count.ExecuteScalar()!), "the failed transaction's first insert was rolled back");
    }

    [TestMethod]
    public void ClosingTheDatabaseAfterRawStatementsRanClosesTheFileSoItsWriteAheadLogIsFoldedIn()
    {
        var insert = database.PrepareRaw("INSERT INTO direct_log (rows) VALUES (?1) RETURNING id;");
        database.Transact(() =>
        {
            insert.Bind(1, [1, 2, 3]);
            return insert.Run();
        });
        var wal = Path.Combine(directory, SqliteStore.FileName + "-wal");
        Assert.IsTrue(File.Exists(wal));

        database.Dispose();

        // An unfinalized statement keeps the connection open (SQLite defers the close), and the last close is what
        // checkpoints the log into the file and removes it.
        Assert.IsFalse(File.Exists(wal));
    }
}
