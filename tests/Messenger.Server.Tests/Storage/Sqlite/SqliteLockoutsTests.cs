using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage.Sqlite;

/// <summary>Password lockouts.</summary>
[TestClass]
public sealed class SqliteLockoutsTests : SqliteStoreTestBase
{
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
}
