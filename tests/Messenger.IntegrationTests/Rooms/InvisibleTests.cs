using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>invisible on|off: out of presence, whoelse, whoelsesince and members' online marks; still receiving.</summary>
[TestClass]
public sealed class InvisibleTests
{
    [TestMethod]
    public async Task AnInvisibleUserIsLeftOutOfWhoelseAndShownOfflineInMembersButStillReceivesEverything()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await RoomSetup.JoinAsync("#team", alice, bob);

        bob.Type("invisible on");
        await bob.ExpectAsync("You are invisible");
        alice.Type("whoelse");
        await alice.ExpectAsync("No other users are online.");
        alice.Type("whoelsesince 600");
        await alice.ExpectAsync("No other users were online in that time.");
        alice.Type("members #team");
        await alice.ExpectAsync("  bob (offline)");
        bob.Type("members #team");
        await bob.ExpectAsync("  bob (online)"); // not hidden from oneself
        alice.Type("message bob still there?");
        await bob.ExpectAsync("alice: still there?");
        alice.Type("message #team and in the room?");
        await bob.ExpectAsync("#team alice: and in the room?");

        bob.Type("invisible off");
        await bob.ExpectAsync("You are visible again.");
        alice.Type("whoelse");
        await alice.ExpectAsync("bob");
    }

    [TestMethod]
    public async Task AnInvisibleUsersLogoutIsNotAnnounced()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await alice.ExpectAsync("bob logged in");
            bob.Type("invisible on");
            await bob.ExpectAsync("You are invisible");
            await bob.LogoutAsync();
        }
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await alice.ExpectAsync("carol logged in");

        Assert.IsFalse(alice.Ui.Lines.Contains("bob logged out"), "an invisible user leaves without a trace");
    }

    [TestMethod]
    public async Task InvisibleTakesOnlyOnOrOff()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");

        alice.Type("invisible maybe");

        await alice.ExpectAsync("Usage: invisible on|off");
    }
}
