using System.Buffers;
using Messenger.Server.Storage;
using Messenger.Server.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Messenger.Server.Tests.Storage.Sqlite;

/// <summary>
/// SQLite's direct history as a log and chunks: a read sees both, trim and purge reach both, a restart moves the log
/// into chunks, and a crash in the middle of a move loses nothing and repeats nothing.
/// </summary>
[TestClass]
public sealed class DirectHistoryLogTests : SqliteStoreTestBase
{
    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private async Task<string[]> TextsAsync(string user, string other) =>
        [.. (await Store.LoadDirectHistoryAsync(user, other, 100)).Select(m => $"{m.Sender}:{m.Text}")];

    [TestMethod]
    public async Task AReadSeesRowsAlreadyMovedAndRowsStillInTheLogInOrderEachOnce()
    {
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1, "one"), Message("bob", "alice", 1, "two")]);
        Reopen(); // opening moves the log into chunks
        Assert.AreEqual(0L, Scalar("SELECT count(*) FROM direct_log;"));
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1, "one"), Message("alice", "bob", 2, "three")]); // a resend, then a new one

        Assert.AreEqual(1L, Scalar("SELECT count(*) FROM direct_log;"), "the second batch waits in the log");
        CollectionAssert.AreEqual(new[] { "alice:one", "bob:two", "alice:three" }, await TextsAsync("bob", "alice"));
        Reopen();
        CollectionAssert.AreEqual(new[] { "alice:one", "bob:two", "alice:three" }, await TextsAsync("alice", "bob"));
        Assert.AreEqual(0L, Scalar("SELECT count(*) FROM direct_log;"));
    }

    [TestMethod]
    public async Task TrimmingAndPurgingReachRowsStillInTheLogAndARestartDoesNotBringThemBack()
    {
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1, "old", 0), Message("alice", "bob", 2, "new", 100)]);
        Reopen();
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 3, "old too", 1), Message("carol", "alice", 1, "to alice", 100),
            Message("carol", "dave", 1, "kept", 100)]);

        Assert.AreEqual(2, await Store.TrimDirectHistoryAsync(T0.AddSeconds(50), maxPerConversation: 10));
        Assert.AreEqual(2, await Store.PurgeDirectHistoryAsync("alice"));
        Reopen();

        Assert.IsEmpty(await TextsAsync("alice", "bob"));
        Assert.IsEmpty(await TextsAsync("alice", "carol"));
        CollectionAssert.AreEqual(new[] { "carol:kept" }, await TextsAsync("dave", "carol"));
    }

    [TestMethod]
    public async Task ACrashAfterOneSliceOfAMoveCommittedLosesNothingAndStoresNothingTwice()
    {
        await Store.AppendDirectHistoryAsync([Message("alice", "bob", 1, "a1"), Message("carol", "dave", 1, "c1"), Message("bob", "alice", 1, "b1")]);
        Close(); // as after kill -9: the batch is in the log, not yet in chunks
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString()))
        {
            await connection.OpenAsync();
            // The first slice of the move that was under way: alice and bob's records, as a chunk covering the log so far.
            var records = new ArrayBufferWriter<byte>();
            DirectHistoryRecord.Write(records, fromLow: true, 1, T0.ToUnixTimeMilliseconds(), "a1");
            DirectHistoryRecord.Write(records, fromLow: false, 1, T0.ToUnixTimeMilliseconds(), "b1");
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO direct_chunks (conversation, log_upto, count, oldest_ms, newest_ms, rows)
                SELECT id, (SELECT max(id) FROM direct_log), 2, $at, $at, $rows FROM conversations WHERE user_low = 'alice' AND user_high = 'bob';
                """;
            command.Parameters.AddWithValue("$at", T0.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$rows", records.WrittenSpan.ToArray());
            Assert.AreEqual(1, await command.ExecuteNonQueryAsync());
        }

        Reopen();

        CollectionAssert.AreEqual(new[] { "alice:a1", "bob:b1" }, await TextsAsync("alice", "bob"));
        CollectionAssert.AreEqual(new[] { "carol:c1" }, await TextsAsync("carol", "dave"));
        Assert.AreEqual(3L, Scalar("SELECT sum(count) FROM direct_chunks;"), "each record is stored once");
        Assert.AreEqual(0L, Scalar("SELECT count(*) FROM direct_log;"));
    }

    [TestMethod]
    public async Task PastTheThresholdAnAppendMovesTheLogIntoChunksAndReadsStayWhole()
    {
        var text = new string('x', 1000);
        const int PerBatch = 2048; // about 2 MB: 64 log rows of 32 KB
        var batches = (int)(SqliteDirectHistory.MoveAtBytes / (PerBatch * 1000)) + 2;
        for (var b = 0; b < batches; b++)
        {
            await Store.AppendDirectHistoryAsync([.. Enumerable.Range(0, PerBatch).Select(i =>
                Message("alice", i % 64 == 0 ? "bob" : $"user{i % 64}", b * PerBatch + i, text))]);
        }
        for (var b = 0; b < 64; b++)
        {
            await Store.AppendDirectHistoryAsync([Message("bob", "alice", b, "short")]);
        }

        Assert.IsGreaterThan(0L, Scalar("SELECT count(*) FROM direct_chunks;"));
        Assert.IsLessThan(batches * 64L / 3, Scalar("SELECT count(*) FROM direct_log;"), "the moved log rows were deleted");
        var history = await Store.LoadDirectHistoryAsync("alice", "bob", 70);
        CollectionAssert.AreEqual(Enumerable.Range(0, 6).Select(k => (long)((batches - 1) * PerBatch + (26 + k) * 64)).ToArray(),
            history.Take(6).Select(m => m.MessageId).ToArray(), "the six before the short ones: the last batch's last six to bob");
        CollectionAssert.AreEqual(Enumerable.Range(0, 64).Select(b => (long)b).ToArray(), history.Skip(6).Select(m => m.MessageId).ToArray());
    }
}
