using Messenger.IntegrationTests.Harness;
using Messenger.Server.Admin;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>The operator's rooms, room, removeroom and purgehistory.</summary>
[TestClass]
public sealed class RoomConsoleTests
{
    [TestMethod]
    public async Task TheOperatorListsDescribesAndRemovesRoomsAndMembersAreTold()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await RoomSetup.JoinAsync("#team", alice, bob);
        alice.Type("topic #team ship it");
        await bob.ExpectAsync("alice set the topic of #team: ship it");
        var output = new StringWriter();
        var console = new ServerConsole(server.Chat, output, () => Task.CompletedTask);

        await console.ExecuteAsync("rooms");
        StringAssert.Contains(output.ToString(), "#team (public, 2 members, owner alice) ship it");
        await console.ExecuteAsync("room #TEAM");
        StringAssert.Contains(output.ToString(), "#team: public, owner alice");
        StringAssert.Contains(output.ToString(), "  bob (online, acknowledged up to");
        await console.ExecuteAsync("removeroom #team");
        StringAssert.Contains(output.ToString(), "#team was removed with its history.");
        await bob.ExpectAsync("#team was removed by the server operator");
        await console.ExecuteAsync("room #team");
        StringAssert.Contains(output.ToString(), "There is no room #team.");

        bob.Type("message #team anyone?");
        await bob.ExpectAsync("There is no room #team.");
    }

    [TestMethod]
    public async Task PurgingAUsersHistoryEmptiesTheirConversationsAndNoOneElses()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        alice.Type("message bob to be forgotten");
        await bob.ExpectAsync("alice: to be forgotten");
        bob.Type("message carol to be kept");
        await carol.ExpectAsync("bob: to be kept");
        bob.Type("history carol");
        await bob.ExpectAsync("] bob: to be kept");
        var output = new StringWriter();

        await new ServerConsole(server.Chat, output, () => Task.CompletedTask).ExecuteAsync("purgehistory alice");

        StringAssert.Contains(output.ToString(), "1 direct messages of alice removed from history.");
        bob.Type("history alice");
        await bob.ExpectAsync("No messages with alice yet.");
        bob.Type("history carol");
        await bob.ExpectAsync("] bob: to be kept");
    }
}
