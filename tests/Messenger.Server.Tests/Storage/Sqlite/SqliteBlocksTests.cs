using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage.Sqlite;

/// <summary>Block lists.</summary>
[TestClass]
public sealed class SqliteBlocksTests : SqliteStoreTestBase
{
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
}
