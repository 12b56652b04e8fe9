using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests;

[TestClass]
public sealed class PresenceTests
{
    [TestMethod]
    public async Task OthersSeeLoginAndLogout()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await alice.ExpectAsync("bob logged in");
            await bob.LogoutAsync();
        }
        await alice.ExpectAsync("bob logged out");
    }

    [TestMethod]
    public async Task UsersBlockedByYouDoNotSeeYourPresenceOrYouInWhoElse()
    {
        await using var server = await TestServer.StartAsync();
        await using var carol = await TestClient.LoginAsync(server, "carol");
        int carolLinesAfterBlock;
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await carol.ExpectAsync("bob logged in"); // not blocked yet
            bob.Type("block carol");
            await bob.ExpectAsync("carol is blocked");
            carolLinesAfterBlock = carol.Ui.Lines.Count;
            await bob.LogoutAsync();
        }
        await using var bobAgain = await TestClient.LoginAsync(server, "bob");
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await carol.ExpectAsync("alice logged in");
        carol.Type("whoelse");
        await carol.ExpectAsync("alice");
        await carol.BarrierAsync();
        var seenSinceBlock = carol.Ui.Lines.Skip(carolLinesAfterBlock).ToList();
        Assert.IsFalse(seenSinceBlock.Any(l => l is "bob" or "bob logged in" or "bob logged out"),
            "carol learned about bob after he blocked her: " + string.Join(" | ", seenSinceBlock));
    }

    [TestMethod]
    public async Task ALoginStormIsShownAsADigestWithACountOfTheRest()
    {
        const int Users = 30;
        var accounts = Enumerable.Range(0, Users).Select(i => $"storm{i:D2} pw{i}").ToArray();
        await using var server = await TestServer.StartAsync(extraCredentialLines: accounts);
        await using var alice = await TestClient.LoginAsync(server, "alice");
        List<RawConnection> storm = [];
        try
        {
            for (var i = 0; i < Users; i++)
            {
                storm.Add(await RawConnection.LogInAsync(server, new Protocol.Contracts.LoginRequest($"storm{i:D2}", $"pw{i}")));
            }
            // alice's own login and 19 of the storm used the 20 immediate announcements a second; 11 wait for the digest.
            await alice.ExpectAsync("storm18 logged in");
            server.Clock.Advance(Server.Presence.PresenceAnnouncer.DigestWindow);

            for (var i = 19; i <= 28; i++)
            {
                await alice.ExpectAsync($"storm{i:D2} logged in");
            }
            await alice.ExpectAsync("... and 1 more logged in, 0 more logged out (whoelse lists who is online)");
        }
        finally
        {
            foreach (var raw in storm)
            {
                await raw.DisposeAsync();
            }
        }
    }

    [TestMethod]
    public async Task WhoElseListsTheOtherOnlineUsers()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("whoelse");
        await alice.ExpectAsync("No other users are online.");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await alice.ExpectAsync("carol logged in");
        alice.Type("whoelse");
        Assert.AreEqual("bob", await alice.Ui.WaitForAsync(l => l is "bob" or "carol", "a user line"));
        Assert.AreEqual("carol", await alice.Ui.WaitForAsync(l => l is "bob" or "carol", "a user line"));
    }

    [TestMethod]
    public async Task WhoElseSinceIncludesUsersLoggedOutWithinTheWindowAndSurvivesRestart()
    {
        await using var server = await TestServer.StartAsync();
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await bob.LogoutAsync();
        }
        server.Clock.Advance(TimeSpan.FromSeconds(100));
        await server.RestartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("whoelsesince 150");
        await alice.ExpectAsync("bob");
        alice.Type("whoelsesince 50");
        await alice.ExpectAsync("No other users were online in that time.");
        alice.Type("whoelsesince -5");
        await alice.ExpectAsync("Usage: whoelsesince <seconds>");
        alice.Type("whoelsesince soon");
        await alice.ExpectAsync("Usage: whoelsesince <seconds>");
    }
}
