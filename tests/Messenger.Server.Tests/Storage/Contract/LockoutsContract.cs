using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>Password lockouts: the contract every store engine keeps.</summary>
public abstract class LockoutsContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [TestMethod]
    public async Task LockoutsAreSavedOverwrittenAndLoaded()
    {
        var until = T0.AddSeconds(60);
        await Store.SaveLockoutAsync(new LockoutRecord("alice", 1, null));
        await Store.SaveLockoutAsync(new LockoutRecord("alice", 3, until));
        await Store.SaveLockoutAsync(new LockoutRecord("bob", 2, null));

        var lockouts = await (await ReopenAsync()).LoadLockoutsAsync();

        CollectionAssert.AreEquivalent(new[] { new LockoutRecord("alice", 3, until), new LockoutRecord("bob", 2, null) }, lockouts.ToArray());
    }

    [TestMethod]
    public async Task LockoutWithNoFailuresAndNoLockIsDeleted()
    {
        await Store.SaveLockoutAsync(new LockoutRecord("alice", 3, T0));
        await Store.SaveLockoutAsync(new LockoutRecord("bob", 1, null));

        await Store.SaveLockoutAsync(new LockoutRecord("alice", 0, null));
        await Store.SaveLockoutAsync(new LockoutRecord("nobody", 0, null));

        CollectionAssert.AreEqual(new[] { new LockoutRecord("bob", 1, null) }, (await (await ReopenAsync()).LoadLockoutsAsync()).ToArray());
    }

    [TestMethod]
    public async Task LockWithZeroFailuresIsKept()
    {
        await Store.SaveLockoutAsync(new LockoutRecord("alice", 0, T0));

        CollectionAssert.AreEqual(new[] { new LockoutRecord("alice", 0, T0) }, (await Store.LoadLockoutsAsync()).ToArray());
    }
}
