namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>User settings (who must be asked first for a private session): set, cleared, kept across a reopen.</summary>
public abstract class UserSettingsContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [TestMethod]
    public async Task WhoAsksFirstIsKeptAcrossAReopenAndOpenAgainRemovesTheRow()
    {
        await Store.SetAsksFirstAsync("alice", true);
        await Store.SetAsksFirstAsync("bob", true);
        await Store.SetAsksFirstAsync("bob", true);
        await Store.SetAsksFirstAsync("bob", false);
        await Store.SetAsksFirstAsync("carol", false);

        CollectionAssert.AreEqual(new[] { "alice" }, (await (await ReopenAsync()).LoadUsersWhoAskFirstAsync()).ToArray());
    }
}
