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
