using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests;

[TestClass]
public sealed class TimeoutTests
{
    [TestMethod]
    public async Task IdleUserIsLoggedOutTheClientSaysSoAndOthersSeeTheLogout()
    {
        await using var server = await TestServer.StartAsync(o => o with { IdleTimeout = TimeSpan.FromSeconds(30) });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await alice.ExpectAsync("bob logged in");

        // bob keeps busy; alice only receives (receiving is not activity).
        server.Clock.Advance(TimeSpan.FromSeconds(20));
        bob.Type("message alice ping");
        await alice.ExpectAsync("bob: ping");
        server.Clock.Advance(TimeSpan.FromSeconds(11));

        await alice.ExpectAsync("You have been logged out after 30 seconds of inactivity.");
        Assert.AreEqual(0, await alice.ExitCodeAsync());
        await bob.ExpectAsync("alice logged out");
        bob.Type("whoelse");
        await bob.ExpectAsync("No other users are online.");
    }

    [TestMethod]
    public async Task InvalidCommandsDoNotCountAsActivity()
    {
        await using var server = await TestServer.StartAsync(o => o with { IdleTimeout = TimeSpan.FromSeconds(30) });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        server.Clock.Advance(TimeSpan.FromSeconds(25));
        alice.Type("dance");
        await alice.ExpectAsync("Invalid command");
        server.Clock.Advance(TimeSpan.FromSeconds(6));
        await alice.ExpectAsync("logged out after 30 seconds");
    }

    [TestMethod]
    public async Task ValidCommandsRestartTheIdleClock()
    {
        await using var server = await TestServer.StartAsync(o => o with { IdleTimeout = TimeSpan.FromSeconds(30) });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        server.Clock.Advance(TimeSpan.FromSeconds(25));
        alice.Type("whoelse");
        await alice.ExpectAsync("No other users are online.");
        server.Clock.Advance(TimeSpan.FromSeconds(25));
        alice.Type("whoelse");
        await alice.ExpectAsync("No other users are online.");
        Assert.IsFalse(alice.Run.IsCompleted, "alice was active 25 s ago and must still be logged in");
        server.Clock.Advance(TimeSpan.FromSeconds(31));
        await alice.ExpectAsync("logged out after 30 seconds");
    }
}
