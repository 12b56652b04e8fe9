using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>Guests (issue 18) in rooms: they join public rooms, create none, keep no history, and leave when they go.</summary>
[TestClass]
public sealed class GuestRoomTests
{
    [TestMethod]
    public async Task AGuestJoinsAPublicRoomButCannotCreateOneAndLeavesItWhenItsSessionEnds()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowGuests = true });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await RoomSetup.JoinAsync("#lobby", alice);
        await using (var guest = await GuestAsync(server))
        {
            guest.Type("join #guests-only");
            await guest.ExpectAsync("There is no room #guests-only, and guests cannot create rooms; 'rooms' lists those you can join.");
            guest.Type("join #lobby");
            await guest.ExpectAsync("You joined #lobby.");
            guest.Type("message #lobby hi from a guest");
            await alice.ExpectAsync("#lobby guest-1: hi from a guest");
            await guest.LogoutAsync();
        }

        await alice.ExpectAsync("guest-1 left #lobby");
        alice.Type("members #lobby");
        await alice.ExpectAsync("Members of #lobby:");
        await alice.ExpectAsync("  alice (owner, online)");
        await alice.BarrierAsync();
        Assert.IsFalse(alice.Ui.Lines.Any(l => l.StartsWith("  guest-1", StringComparison.Ordinal)), "a guest's membership ends with its session");
    }

    [TestMethod]
    public async Task NothingOfAGuestsDirectConversationsIsKeptInHistory()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowGuests = true });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var guest = await GuestAsync(server);
        guest.Type("message alice hello from a guest");
        await alice.ExpectAsync("guest-1: hello from a guest");

        alice.Type("history guest-1");

        await alice.ExpectAsync("No messages with guest-1 yet.");
    }

    private static async Task<TestClient> GuestAsync(TestServer server)
    {
        var guest = TestClient.Start(server);
        guest.Type("guest");
        guest.Type("");
        await guest.ExpectAsync("Welcome to MessengerSuite, guest-1! You are a guest");
        return guest;
    }
}
