using System.Text;
using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Issues;

/// <summary>Issue 18: guests (`AllowGuests`): `guest` with an empty password, online only, nothing stored, limits per address.</summary>
[TestClass]
public sealed class Issue18GuestTests
{
    private static async Task<TestClient> GuestAsync(TestServer server, string expectedName)
    {
        var guest = TestClient.Start(server);
        guest.Type("guest");
        guest.Type("");
        await guest.ExpectAsync($"Welcome to MessengerSuite, {expectedName}! You are a guest");
        return guest;
    }

    [TestMethod]
    public async Task GuestsAreRefusedUnlessTheServerAllowsThem()
    {
        await using var server = await TestServer.StartAsync();
        await using var guest = TestClient.Start(server);
        guest.Type("guest");
        guest.Type("");
        await guest.ExpectAsync("This server does not let guests in; log in with an account.");
        Assert.AreEqual(0, server.Chat.Sessions.Count);
    }

    [TestMethod]
    public async Task TwoGuestsGetDifferentNamesAreSeenOnlineAndCarryIsGuest()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowGuests = true });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var first = await GuestAsync(server, "guest-1");
        await using var second = await GuestAsync(server, "guest-2");
        await alice.ExpectAsync("guest-1 logged in");
        await alice.ExpectAsync("guest-2 logged in");
        alice.Type("whoelse");
        await alice.ExpectAsync("guest-1");
        await alice.ExpectAsync("guest-2");
        Assert.IsTrue(server.Chat.Sessions.Find("guest-1")!.IsGuest);
        Assert.IsTrue(server.Chat.Sessions.Find("guest-2")!.IsGuest);
        Assert.IsFalse(server.Chat.Sessions.Find("alice")!.IsGuest);
        var console = new StringWriter();
        await new Messenger.Server.Admin.ServerConsole(server.Chat, console, () => Task.CompletedTask).ExecuteAsync("users");
        StringAssert.Contains(console.ToString(), $"alice{Environment.NewLine}guest-1 (guest){Environment.NewLine}guest-2 (guest)");
    }

    [TestMethod]
    public async Task AGuestsMessagesAreNotStoredAndMessagesToAGuestWhoLeftAreRefused()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowGuests = true });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using (var guest = await GuestAsync(server, "guest-1"))
        {
            guest.Type("message alice hello from a guest, guest-marker-one");
            await alice.ExpectAsync("guest-1: hello from a guest, guest-marker-one");
            alice.Type("message guest-1 welcome, guest-marker-two");
            await guest.ExpectAsync("alice: welcome, guest-marker-two");
            guest.Type("message bob are you there? guest-marker-three");
            await guest.ExpectAsync("bob is offline; as a guest you can message only users who are online.");
            guest.Type("block carol");
            await guest.ExpectAsync("carol is blocked"); // Kept in memory only: nothing is stored for a guest.
            await guest.LogoutAsync();
        }
        await alice.ExpectAsync("guest-1 logged out");
        alice.Type("message guest-1 still there? guest-marker-four");
        await alice.ExpectAsync("guest-1 is not online (a guest is gone once they leave).");
        alice.Type("whoelsesince 600");
        await alice.ExpectAsync("No other users were online in that time.");

        Assert.AreEqual(0, await server.Store.CountOfflineAsync("bob"));
        Assert.AreEqual(0, await server.Store.CountOfflineAsync("guest-1"));
        await server.StopAsync();
        foreach (var file in Directory.GetFiles(server.Options.DataDirectory))
        {
            var bytes = await File.ReadAllBytesAsync(file);
            Assert.AreEqual(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("guest-")), $"something of the guest's is in {file}");
        }
    }

    [TestMethod]
    public async Task AGuestWhoseSessionIsGoneWhenItReconnectsComesBackAsANewGuest()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowGuests = true });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var guest = await GuestAsync(server, "guest-1");
        // As after a server restart: the session is over (its resume token unknown) and then the connection drops.
        var session = server.Chat.Sessions.Find("guest-1")!;
        var link = session.Link!;
        await server.Chat.Lifecycle.EndSessionAsync(session, Messenger.Protocol.Contracts.Reasons.LoggedOut);
        link.Abort("test: connection dropped");
        await guest.ExpectAsync("Reconnected. Welcome to MessengerSuite, guest-2! You are a guest");
        guest.Type("message alice back as someone new");
        await alice.ExpectAsync("guest-2: back as someone new");
    }

    [TestMethod]
    public async Task GuestLoginsAreLimitedPerAddress()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowGuests = true, FailedLoginsPerAddressAndUserPerMinute = 2 });
        await using var first = await GuestAsync(server, "guest-1");
        await using var second = await GuestAsync(server, "guest-2");
        await using var third = TestClient.Start(server);
        third.Type("guest");
        third.Type("");
        await third.ExpectAsync("Too many guest logins from your address; wait a minute and try again.");
        await using var alice = await TestClient.LoginAsync(server, "alice"); // Accounts at that address are not affected.

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        third.Type("guest");
        third.Type("");
        await third.ExpectAsync("Welcome to MessengerSuite, guest-3!");
    }

    [TestMethod]
    public async Task GuestsFromOneAddressShareOneMessageRateLimit()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowGuests = true, MaxMessagesPerSecond = 2 });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var first = await GuestAsync(server, "guest-1");
        await using var second = await GuestAsync(server, "guest-2");
        first.Type("message alice one");
        await alice.ExpectAsync("guest-1: one");
        first.Type("message alice two");
        await alice.ExpectAsync("guest-1: two");
        second.Type("message alice three");
        await second.ExpectAsync("You are sending too fast; slow down and try again.");
        alice.Type("message bob an account keeps its own limit");
        await alice.ExpectAsync("bob is not connected");
    }
}
