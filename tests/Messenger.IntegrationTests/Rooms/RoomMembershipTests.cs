using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>join, leave, rooms, members: who is in a room, and every refusal on the way in or out.</summary>
[TestClass]
public sealed class RoomMembershipTests
{
    [TestMethod]
    public async Task JoiningANewNameCreatesThePublicRoomWithTheJoinerAsOwnerAndOthersSeeWhoJoins()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");

        alice.Type("join #Team");
        await alice.ExpectAsync("You created #Team and are its owner.");
        bob.Type("join #team"); // names compare without case
        await bob.ExpectAsync("You joined #Team.");
        await alice.ExpectAsync("bob joined #Team");

        bob.Type("members #TEAM");
        await bob.ExpectAsync("Members of #Team:");
        await bob.ExpectAsync("  alice (owner, online)");
        await bob.ExpectAsync("  bob (online)");
    }

    [TestMethod]
    public async Task LeavingTellsTheOthersAndTheLeaverGetsNoMoreOfTheRoom()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Type("join #team");
        await alice.ExpectAsync("You created #team");
        bob.Type("join #team");
        await alice.ExpectAsync("bob joined #team");

        bob.Type("leave #team");
        await bob.ExpectAsync("You left #team.");
        await alice.ExpectAsync("bob left #team");
        alice.Type("message #team after bob left");
        await alice.ExpectAsync("#team alice: after bob left");
        await bob.BarrierAsync();

        Assert.IsFalse(bob.Ui.Lines.Any(l => l.Contains("after bob left", StringComparison.Ordinal)), "a former member gets nothing more");
    }

    [TestMethod]
    [DataRow("join team", "Invalid room name 'team': a room name is '#' followed by 1 to 32 letters, digits, '_' or '-'.")]
    [DataRow("join #", "Invalid room name '#'")]
    [DataRow("join #a.b", "Invalid room name '#a.b'")]
    [DataRow("join #abcdefghijabcdefghijabcdefghijabc", "Invalid room name '#abcdefghijabcdefghijabcdefghijabc'")]
    [DataRow("leave #nowhere", "There is no room #nowhere.")]
    [DataRow("members #nowhere", "There is no room #nowhere.")]
    [DataRow("join", "Usage: join <#room>")]
    [DataRow("leave", "Usage: leave <#room>")]
    [DataRow("members", "Usage: members <#room>")]
    [DataRow("rooms now", "Usage: rooms")]
    public async Task BadNamesUnknownRoomsAndMissingArgumentsGetAOneLineAnswer(string command, string answer)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");

        alice.Type(command);

        await alice.ExpectAsync(answer);
        Assert.AreEqual(0, server.Chat.RoomAdmin.ListRooms().Count(c => c == '#'), "nothing was created");
    }

    [TestMethod]
    public async Task JoiningTwiceAndLeavingARoomYouAreNotInAreRefused()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Type("join #team");
        await alice.ExpectAsync("You created #team");

        alice.Type("join #team");
        await alice.ExpectAsync("You are already in #team.");
        bob.Type("leave #team");
        await bob.ExpectAsync("You are not in #team.");
    }

    [TestMethod]
    public async Task RoomsListsThePublicRoomsWithMemberCountsAndTopics()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        bob.Type("rooms");
        await bob.ExpectAsync("There are no rooms yet; 'join #name' creates one.");
        alice.Type("join #team");
        await alice.ExpectAsync("You created #team");
        alice.Type("topic #team release on Friday");
        await alice.ExpectAsync("Topic of #team set.");
        alice.Type("join #lunch");
        await alice.ExpectAsync("You created #lunch");

        bob.Type("rooms");

        await bob.ExpectAsync("#lunch (1 member, public)");
        await bob.ExpectAsync("#team (1 member, public): release on Friday");
    }

    [TestMethod]
    public async Task MembersShowWhoIsOfflineToo()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            alice.Type("join #team");
            await alice.ExpectAsync("You created #team");
            bob.Type("join #team");
            await bob.ExpectAsync("You joined #team.");
            await bob.LogoutAsync();
        }

        alice.Type("members #team");

        await alice.ExpectAsync("  alice (owner, online)");
        await alice.ExpectAsync("  bob (offline)");
    }

    [TestMethod]
    public async Task TheRoomsPerUserAndMembersPerRoomLimitsAreEnforced()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxRoomsPerUser = 1, MaxMembersPerRoom = 2 });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        alice.Type("join #one");
        await alice.ExpectAsync("You created #one");

        alice.Type("join #two");
        await alice.ExpectAsync("You are in 1 rooms already, the most allowed; leave one first.");
        bob.Type("join #one");
        await bob.ExpectAsync("You joined #one.");
        carol.Type("join #one");
        await carol.ExpectAsync("#one is full (2 members).");
    }
}
