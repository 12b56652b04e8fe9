using Messenger.Server.Auth;
using Messenger.Server.Storage;
using Messenger.Server.Storage.Postgres;
using Messenger.Server.Tests.Storage.Contract;

namespace Messenger.Server.Tests.Storage.Postgres;

/// <summary>The cluster's lockout count: one PostgreSQL row lock per verdict, so concurrent guesses get exactly three tries.</summary>
[TestClass]
public sealed class PostgresLockoutRowLockTests : StoreContract<PostgresBackend>
{
    private static readonly TimeSpan Block = TimeSpan.FromSeconds(60);

    private PostgresLockouts Lockouts => ((PostgresStore)Store).Lockouts;

    [TestMethod]
    public async Task TwelveConcurrentWrongPasswordsGetExactlyThreeCountedTries()
    {
        var verdicts = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Lockouts.ApplyAsync("alice", false, T0, Block).AsTask()));

        Assert.AreEqual(2, verdicts.Count(v => v == LoginOutcome.WrongPassword));
        Assert.AreEqual(1, verdicts.Count(v => v == LoginOutcome.LockedOut));
        Assert.AreEqual(9, verdicts.Count(v => v == LoginOutcome.StillLockedOut));
        Assert.AreEqual(new LockoutRecord("alice", 0, T0 + Block), await Lockouts.LoadLockoutAsync("alice"));
    }

    [TestMethod]
    public async Task TheLockEndsAfterTheBlockTimeAndARightPasswordClearsTheCount()
    {
        for (var i = 0; i < 3; i++)
        {
            await Lockouts.ApplyAsync("bob", false, T0, Block);
        }

        Assert.AreEqual(LoginOutcome.StillLockedOut, await Lockouts.ApplyAsync("bob", true, T0.AddSeconds(59), Block));
        Assert.AreEqual(LoginOutcome.WrongPassword, await Lockouts.ApplyAsync("bob", false, T0.AddSeconds(60), Block));
        Assert.AreEqual(LoginOutcome.Accepted, await Lockouts.ApplyAsync("bob", true, T0.AddSeconds(61), Block));
        Assert.IsNull(await Lockouts.LoadLockoutAsync("bob"), "a cleared count leaves no row");
        Assert.AreEqual(LoginOutcome.Accepted, await Lockouts.ApplyAsync("carol", true, T0, Block));
        Assert.IsEmpty(await Store.LoadLockoutsAsync());
    }
}
