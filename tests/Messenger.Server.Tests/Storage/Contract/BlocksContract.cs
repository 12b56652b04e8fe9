using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>Block lists: the contract every store engine keeps.</summary>
public abstract class BlocksContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [TestMethod]
    public async Task BlocksAreAddedLoadedAndRemoved()
    {
        await Store.AddBlockAsync("alice", "bob");
        await Store.AddBlockAsync("alice", "carol");
        await Store.AddBlockAsync("bob", "alice");
        await Store.RemoveBlockAsync("alice", "carol");

        var blocks = await (await ReopenAsync()).LoadBlocksAsync();

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
}
