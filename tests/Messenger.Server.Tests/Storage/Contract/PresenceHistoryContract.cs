using Messenger.Server.Storage;

namespace Messenger.Server.Tests.Storage.Contract;

/// <summary>Login history: last logouts, and sessions a crash left open: the contract every store engine keeps.</summary>
public abstract class PresenceHistoryContract<TBackend> : StoreContract<TBackend> where TBackend : IStoreBackend, new()
{
    [TestMethod]
    public async Task LastLogoutIsTheLatestRecordedPerUser()
    {
        await Store.RecordLoginAsync("alice", T0);
        await Store.RecordLogoutAsync("alice", T0.AddMinutes(1));
        await Store.RecordLoginAsync("alice", T0.AddMinutes(2));
        await Store.RecordLogoutAsync("alice", T0.AddMinutes(3));
        await Store.RecordLoginAsync("bob", T0);
        await Store.RecordLogoutAsync("bob", T0.AddSeconds(30));
        await Store.RecordLogoutAsync("dave", T0.AddSeconds(40));   // last seen without a recorded login

        var logouts = await (await ReopenAsync()).LoadLastLogoutsAsync(T0.AddHours(1));

        Assert.HasCount(3, logouts);
        Assert.AreEqual(T0.AddSeconds(40), logouts["dave"]);
        Assert.AreEqual(T0.AddMinutes(3), logouts["alice"]);
        Assert.AreEqual(T0.AddSeconds(30), logouts["bob"]);
    }

    [TestMethod]
    public async Task UserWhoNeverLoggedInHasNoLastLogout()
    {
        var logouts = await Store.LoadLastLogoutsAsync(T0);

        Assert.IsEmpty(logouts);
    }

    [TestMethod]
    public async Task SessionLeftOpenByACrashIsClosedAtTheGivenTimeOnReload()
    {
        var restart = T0.AddHours(2);
        await Store.RecordLoginAsync("alice", T0);
        await Store.RecordLogoutAsync("alice", T0.AddMinutes(5));
        await Store.RecordLoginAsync("alice", T0.AddMinutes(10));   // still open when the server dies
        await Store.RecordLoginAsync("carol", T0.AddMinutes(20));   // first login ever, never closed
        await Store.RecordLoginAsync("bob", T0);
        await Store.RecordLogoutAsync("bob", T0.AddMinutes(1));     // closed properly

        var logouts = await (await ReopenAsync()).LoadLastLogoutsAsync(restart);

        Assert.AreEqual(restart, logouts["alice"]);
        Assert.AreEqual(restart, logouts["carol"]);
        Assert.AreEqual(T0.AddMinutes(1), logouts["bob"]);
    }

    [TestMethod]
    public async Task ClosingOpenSessionsIsPersistedSoALaterReloadKeepsThatTime()
    {
        var firstRestart = T0.AddHours(1);
        await Store.RecordLoginAsync("alice", T0);
        await Store.LoadLastLogoutsAsync(firstRestart);

        var logouts = await (await ReopenAsync()).LoadLastLogoutsAsync(T0.AddHours(5));

        Assert.AreEqual(firstRestart, logouts["alice"]);
    }
}
