using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>Rooms, memberships and messages survive a restart; messages in flight across one are shown once, in order.</summary>
[TestClass]
public sealed class RoomDurabilityTests
{
    [TestMethod]
    public async Task RoomsMembersTopicsModesAndMessagesSurviveARestart()
    {
        await using var server = await TestServer.StartAsync();
        await using (var alice = await TestClient.LoginAsync(server, "alice"))
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await RoomSetup.JoinAsync("#team", alice, bob);
            alice.Type("topic #team kept");
            await bob.ExpectAsync("alice set the topic of #team: kept");
            alice.Type("roommode #team private");
            await bob.ExpectAsync("alice made #team private");
            bob.Type("message #team before the restart");
            await alice.ExpectAsync("#team bob: before the restart");
        }

        await server.RestartAsync();

        await using var carol = await TestClient.LoginAsync(server, "carol");
        carol.Type("join #team");
        await carol.ExpectAsync("#team is private; only its owner can invite you.");
        await using var alice2 = await TestClient.LoginAsync(server, "alice");
        alice2.Type("members #team");
        await alice2.ExpectAsync("  alice (owner, online)");
        await alice2.ExpectAsync("  bob (offline)");
        alice2.Type("history #team");
        await alice2.ExpectAsync("] bob: before the restart");
        alice2.Type("topic #team");
        await alice2.ExpectAsync("Topic of #team: kept");
    }

    [TestMethod]
    public async Task MessagesInFlightWhenTheServerRestartsReachAnOfflineMemberOnceEachInOrderThenLiveOnes()
    {
        await using var server = await TestServer.StartAsync();
        await using (var alice = await TestClient.LoginAsync(server, "alice"))
        {
            await using (var carol = await TestClient.LoginAsync(server, "carol"))
            {
                await RoomSetup.JoinAsync("#team", alice, carol);
                await carol.LogoutAsync();
            }
            alice.Type("message #team m1");
            alice.Type("message #team m2");
            alice.Type("message #team m3");
            await alice.ExpectAsync("#team alice: m3");
            await server.RestartAsync();
            await alice.ExpectAsync("The server is shutting down.");
        }

        await using var carolAgain = await TestClient.LoginAsync(server, "carol");
        await carolAgain.ExpectAsync("#team alice: m3");
        await using var aliceAgain = await TestClient.LoginAsync(server, "alice");
        aliceAgain.Type("message #team m4");
        await carolAgain.ExpectAsync("#team alice: m4");

        CollectionAssert.AreEqual(new[] { "#team alice: m1", "#team alice: m2", "#team alice: m3", "#team alice: m4" },
            carolAgain.Ui.Messages.Where(l => l.StartsWith("#team ", StringComparison.Ordinal)).ToArray());
    }

    [TestMethod]
    public async Task AcknowledgedPositionsSurviveARestartSoNothingIsShownTwice()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await RoomSetup.JoinAsync("#team", alice, bob);
            alice.Type("message #team seen before the restart");
            await bob.ExpectAsync("#team alice: seen before the restart");
            await bob.LogoutAsync(); // the acknowledgement went before the logout, on the same connection
        }
        await alice.LogoutAsync();

        await server.RestartAsync();

        await using var aliceAgain = await TestClient.LoginAsync(server, "alice");
        await using var bobAgain = await TestClient.LoginAsync(server, "bob");
        aliceAgain.Type("message #team after the restart");
        await bobAgain.ExpectAsync("#team alice: after the restart");
        Assert.AreEqual(1, bobAgain.Ui.Lines.Count(l => l.StartsWith("#team ", StringComparison.Ordinal)), string.Join(" | ", bobAgain.Ui.Lines));
    }
}
