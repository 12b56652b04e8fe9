using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>roommode private and invite: a private room is hidden from others and opens only by invitation.</summary>
[TestClass]
public sealed class PrivateRoomTests
{
    [TestMethod]
    public async Task APrivateRoomIsHiddenFromNonMembersAndRefusesToBeJoinedWithoutAnInvitation()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await RoomSetup.JoinAsync("#secret", alice, bob);
        alice.Type("join #open");
        await alice.ExpectAsync("You created #open");

        alice.Type("roommode #secret private");
        await alice.ExpectAsync("#secret is private.");
        await bob.ExpectAsync("alice made #secret private (invitation only)");
        carol.Type("rooms");
        await carol.ExpectAsync("#open (1 member, public)");
        carol.Type("join #secret");
        await carol.ExpectAsync("#secret is private; only its owner can invite you.");
        carol.Type("members #secret");
        await carol.ExpectAsync("#secret is private; only its members can see it.");
        carol.Type("history #secret");
        await carol.ExpectAsync("You are not in #secret.");
        bob.Type("rooms");
        await bob.ExpectAsync("#open (1 member, public)");
        await bob.ExpectAsync("#secret (2 members, private, joined)");

        Assert.IsFalse(carol.Ui.Lines.Any(l => l.StartsWith("#secret (", StringComparison.Ordinal)), "hidden from rooms of non-members");
    }

    [TestMethod]
    public async Task AnInvitedUserIsToldSeesTheRoomAndJoinsWithTheInvitation()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await RoomSetup.JoinAsync("#secret", alice);
        alice.Type("roommode #secret private");
        await alice.ExpectAsync("#secret is private.");

        alice.Type("invite #secret carol");
        await alice.ExpectAsync("You invited carol to #secret.");
        await carol.ExpectAsync("alice invited you to #secret; type 'join #secret' to join.");
        carol.Type("rooms");
        await carol.ExpectAsync("#secret (1 member, private, invited)");
        carol.Type("join #secret");
        await carol.ExpectAsync("You joined #secret.");
        await alice.ExpectAsync("carol joined #secret");
        alice.Type("message #secret welcome");
        await carol.ExpectAsync("#secret alice: welcome");
    }

    [TestMethod]
    public async Task AnInvitationWaitsForAnOfflineUserAndAPublicRoomAgainLetsAnyoneIn()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await RoomSetup.JoinAsync("#secret", alice);
        alice.Type("roommode #secret private");
        await alice.ExpectAsync("#secret is private.");
        alice.Type("invite #secret dave");
        await alice.ExpectAsync("You invited dave to #secret.");

        await using (var dave = await TestClient.LoginAsync(server, "dave"))
        {
            dave.Type("join #secret");
            await dave.ExpectAsync("You joined #secret.");
        }
        await using var erin = await TestClient.LoginAsync(server, "erin");
        erin.Type("join #secret");
        await erin.ExpectAsync("#secret is private; only its owner can invite you.");
        alice.Type("roommode #secret public");
        await alice.ExpectAsync("#secret is public.");
        erin.Type("join #secret");
        await erin.ExpectAsync("You joined #secret.");
    }
}
