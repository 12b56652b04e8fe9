using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>The owner: topic, kick, roommode, and the hand-over when the owner leaves.</summary>
[TestClass]
public sealed class RoomOwnershipTests
{
    [TestMethod]
    public async Task WhenTheOwnerLeavesTheLongestStandingMemberOwnsTheRoom()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await RoomSetup.JoinAsync("#team", alice, bob, carol);

        alice.Type("leave #team");
        await carol.ExpectAsync("alice left #team");
        await carol.ExpectAsync("bob is now the owner of #team");
        carol.Type("topic #team mine now");
        await carol.ExpectAsync("Only the owner of #team (bob) can do that.");
        bob.Type("topic #team bob's room");
        await bob.ExpectAsync("Topic of #team set.");
        await carol.ExpectAsync("bob set the topic of #team: bob's room");
    }

    [TestMethod]
    public async Task ARoomWhoseMembersAllLeftIsKeptWithItsHistoryAndTheNextJoinerOwnsIt()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await RoomSetup.JoinAsync("#team", alice);
        alice.Type("message #team kept for later");
        await alice.ExpectAsync("#team alice: kept for later");
        alice.Type("leave #team");
        await alice.ExpectAsync("You left #team.");

        bob.Type("rooms");
        await bob.ExpectAsync("#team (0 members, public)");
        bob.Type("join #team");
        await bob.ExpectAsync("You joined #team and are its owner.");
        bob.Type("history #team");
        await bob.ExpectAsync("] alice: kept for later");
    }

    [TestMethod]
    [DataRow("topic #team new topic")]
    [DataRow("kick #team carol")]
    [DataRow("invite #team dave")]
    [DataRow("roommode #team private")]
    public async Task OnlyTheOwnerMaySetTheTopicKickInviteOrChangeTheMode(string command)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await RoomSetup.JoinAsync("#team", alice, bob, carol);

        bob.Type(command);

        await bob.ExpectAsync("Only the owner of #team (alice) can do that.");
        carol.Type("members #team");
        await carol.ExpectAsync("  carol (online)");
        alice.Type("topic #team");
        await alice.ExpectAsync("#team has no topic.");
    }

    [TestMethod]
    public async Task AKickedMemberIsToldGetsNoMoreAndMayRejoinAPublicRoom()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await RoomSetup.JoinAsync("#team", alice, bob, carol);

        alice.Type("kick #team bob");
        await alice.ExpectAsync("You removed bob from #team.");
        await bob.ExpectAsync("You were removed from #team by alice.");
        await carol.ExpectAsync("bob was removed from #team by alice");
        alice.Type("message #team while bob is out");
        await carol.ExpectAsync("#team alice: while bob is out");
        bob.Type("message #team let me back");
        await bob.ExpectAsync("You are not in #team.");
        bob.Type("join #team");
        await bob.ExpectAsync("You joined #team.");

        Assert.IsFalse(bob.Ui.Lines.Any(l => l.Contains("while bob is out", StringComparison.Ordinal)));
    }

    [TestMethod]
    [DataRow("kick #team alice", "You cannot kick yourself; use 'leave #team'.")]
    [DataRow("kick #team dave", "dave is not in #team.")]
    [DataRow("kick #team", "Usage: kick <#room> <user>")]
    [DataRow("invite #team nobody", "Invalid user: nobody.")]
    [DataRow("invite #team bob", "bob is already in #team.")]
    [DataRow("roommode #team secret", "Usage: roommode <#room> public|private")]
    [DataRow("topic", "Usage: topic <#room> [<text>]")]
    public async Task TheOwnersCommandsRefuseWrongTargetsAndMissingArguments(string command, string answer)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await RoomSetup.JoinAsync("#team", alice, bob);

        alice.Type(command);

        await alice.ExpectAsync(answer);
    }

    [TestMethod]
    public async Task AnyoneMayReadAPublicRoomsTopicAndMembersAreToldWhenItChanges()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await RoomSetup.JoinAsync("#team", alice, bob);

        alice.Type("topic #team   release on Friday  ");
        await bob.ExpectAsync("alice set the topic of #team: release on Friday");
        carol.Type("topic #team");
        await carol.ExpectAsync("Topic of #team: release on Friday");
        bob.Type("join #lunch");
        await bob.ExpectAsync("You created #lunch");
        bob.Type("topic #lunch");
        await bob.ExpectAsync("#lunch has no topic.");
    }
}
