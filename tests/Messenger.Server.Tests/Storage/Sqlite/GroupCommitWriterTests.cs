using Messenger.Server.Storage.Sqlite;

namespace Messenger.Server.Tests.Storage.Sqlite;

/// <summary>
/// Issue 13, item 5: a commit loop that fails must not leave writes waiting forever. A write that fails in a way the
/// writer does not expect (a bug, not a SQLite error) fails its own caller, and the writer goes on committing.
/// </summary>
[TestClass]
public sealed class GroupCommitWriterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task AWriteThatFailsUnexpectedlyFailsItsCallerAndLaterWritesStillCommit()
    {
        var directory = Path.Combine(Path.GetTempPath(), "messenger-writer-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var database = SqliteDatabase.Open(directory);
            var broken = database.Enqueue<int>(() => throw new NotSupportedException("a bug in a write"), TestContext.CancellationToken);

            var failure = await Assert.ThrowsExactlyAsync<NotSupportedException>(() => broken.WaitAsync(Deadline, TestContext.CancellationToken));
            Assert.AreEqual("a bug in a write", failure.Message);
            var commitsBefore = database.Commits;
            Assert.AreEqual(42, await database.Enqueue(() => 42, TestContext.CancellationToken).WaitAsync(Deadline, TestContext.CancellationToken));
            Assert.AreEqual(commitsBefore + 1, database.Commits, "the writer committed again after the failure");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
