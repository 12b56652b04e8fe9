using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests;

[TestClass]
public sealed class MessagingTests
{
    [TestMethod]
    public async Task MessageToAnOnlineUserShowsAsSenderColonText()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Type("message bob Hi   there, héllo 👋");
        await bob.ExpectAsync("alice: Hi   there, héllo 👋");
    }

    [TestMethod]
    public async Task AFullMailboxRefusesTheNextMessageAndKeepsTheStoredOnes()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxStoredMessagesPerRecipient = 2 });
        await using (var alice = await TestClient.LoginAsync(server, "alice"))
        {
            alice.Type("message carol one");
            await alice.ExpectAsync("carol is not connected; your message is kept and will be delivered when they are.");
            alice.Type("message carol two");
            await alice.ExpectAsync("carol is not connected; your message is kept and will be delivered when they are.");
            alice.Type("message carol three");
            await alice.ExpectAsync("carol's mailbox is full; the message was not stored.");
        }
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await carol.ExpectAsync("alice: one");
        await carol.ExpectAsync("alice: two");
        await carol.BarrierAsync();
        Assert.IsFalse(carol.Ui.Lines.Any(l => l.Contains("three", StringComparison.Ordinal)), "the refused message was not stored");
    }

    [TestMethod]
    public async Task MessagesToAnOfflineUserAreDeliveredAtNextLoginOldestFirstAndOnce()
    {
        await using var server = await TestServer.StartAsync();
        await using (var alice = await TestClient.LoginAsync(server, "alice"))
        {
            alice.Type("message carol first");
            await alice.ExpectAsync("carol is not connected; your message is kept and will be delivered when they are.");
            alice.Type("message carol second");
            await alice.ExpectAsync("carol is not connected");
        }
        await using (var carol = await TestClient.LoginAsync(server, "carol"))
        {
            await carol.ExpectAsync("alice: first");
            await carol.ExpectAsync("alice: second");
            await carol.LogoutAsync();
            Assert.AreEqual(0, await carol.ExitCodeAsync());
        }
        await using var again = await TestClient.LoginAsync(server, "carol");
        await again.BarrierAsync();
        Assert.IsFalse(again.Ui.Lines.Any(l => l.StartsWith("alice:", StringComparison.Ordinal)), "Stored messages were shown twice.");
    }

    [TestMethod]
    public async Task OfflineMessagesSurviveAServerRestart()
    {
        await using var server = await TestServer.StartAsync();
        await using (var alice = await TestClient.LoginAsync(server, "alice"))
        {
            alice.Type("message bob kept on disk");
            await alice.ExpectAsync("bob is not connected");
            await alice.LogoutAsync();
        }
        await server.RestartAsync();
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await bob.ExpectAsync("alice: kept on disk");
    }

    [TestMethod]
    public async Task MessageErrorsAreExplained()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("message nobody hello");
        await alice.ExpectAsync("Invalid user: nobody.");
        alice.Type("message alice hello me");
        await alice.ExpectAsync("You cannot message yourself.");
        alice.Type("message bob");
        await alice.ExpectAsync("Usage: message <user> <text>");
        alice.Type("shout hello");
        await alice.ExpectAsync("Invalid command 'shout'. Type 'help'");
        alice.Type($"message bob {new string('x', 5000)}");
        await alice.ExpectAsync("The message is too long");
    }

    [TestMethod]
    public async Task BlockedSenderIsToldAndNothingIsStored()
    {
        await using var server = await TestServer.StartAsync();
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            bob.Type("block alice");
            await bob.ExpectAsync("alice is blocked");
            await bob.LogoutAsync();
        }
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("message bob are you there?");
        await alice.ExpectAsync("Your message could not be delivered as bob has blocked you.");
        Assert.AreEqual(0L, server.Chat.Stats.MessagesStored);

        await using var bobAgain = await TestClient.LoginAsync(server, "bob");
        await bobAgain.BarrierAsync();
        Assert.IsFalse(bobAgain.Ui.Lines.Any(l => l.Contains("are you there", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task BlockAndUnblockConfirmAndRefuseMistakes()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("block bob");
        await alice.ExpectAsync("bob is blocked");
        alice.Type("block bob");
        await alice.ExpectAsync("bob is already blocked.");
        alice.Type("block alice");
        await alice.ExpectAsync("You cannot block yourself.");
        alice.Type("block ghost");
        await alice.ExpectAsync("Invalid user: ghost.");
        alice.Type("unblock bob");
        await alice.ExpectAsync("bob is unblocked");
        alice.Type("unblock bob");
        await alice.ExpectAsync("bob is not blocked.");
    }

    [TestMethod]
    public async Task BlockListsSurviveARestart()
    {
        await using var server = await TestServer.StartAsync();
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            bob.Type("block alice");
            await bob.ExpectAsync("alice is blocked");
            await bob.LogoutAsync();
        }
        await server.RestartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("message bob hi");
        await alice.ExpectAsync("bob has blocked you");
    }

    [TestMethod]
    public async Task BroadcastReachesEveryoneButBlockersAndTellsTheSenderOnlyThen()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");

        alice.Type("broadcast hello all");
        await bob.ExpectAsync("alice (broadcast): hello all");
        await carol.ExpectAsync("alice (broadcast): hello all");
        await alice.BarrierAsync();
        Assert.IsFalse(alice.Ui.Lines.Any(l => l.Contains("could not be delivered", StringComparison.Ordinal)));

        carol.Type("block alice");
        await carol.ExpectAsync("alice is blocked");
        alice.Type("broadcast second");
        await alice.ExpectAsync("Your message could not be delivered to some recipients.");
        await bob.ExpectAsync("alice (broadcast): second");
        await carol.BarrierAsync();
        Assert.IsFalse(carol.Ui.Lines.Any(l => l.Contains("second", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task ControlCharactersFromOthersAreEscaped()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Type("message bob fake\u001b[2J\rcarol: forged");
        var line = await bob.ExpectAsync("alice: fake");
        Assert.AreEqual("alice: fake\\e[2J\\rcarol: forged", line);
    }

    [TestMethod]
    public async Task HelpListsEveryCommand()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("help");
        foreach (var command in new[] { "message <user> <text>", "broadcast <text>", "whoelse", "whoelsesince <seconds>", "block <user>", "unblock <user>", "logout" })
        {
            await alice.ExpectAsync(command);
        }
    }

    [TestMethod]
    public async Task SendingFasterThanTheRateLimitIsRefusedWithAReason()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxMessagesPerSecond = 3 });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        for (var i = 0; i < 4; i++)
        {
            alice.Type($"message bob n{i}");
        }
        await alice.ExpectAsync("You are sending too fast");
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        alice.Type("message bob after the pause");
        await bob.ExpectAsync("alice: after the pause");
    }

    [TestMethod]
    public async Task FullMailboxRefusesFurtherOfflineMessages()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxStoredMessagesPerRecipient = 2 });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("message dave one");
        await alice.ExpectAsync("dave is not connected");
        alice.Type("message dave two");
        await alice.ExpectAsync("dave is not connected");
        alice.Type("message dave three");
        await alice.ExpectAsync("dave's mailbox is full; the message was not stored.");
    }
}
