using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>history: the last n messages of a room or of a direct conversation, oldest first, each with its time.</summary>
[TestClass]
public sealed class HistoryTests
{
    [TestMethod]
    public async Task RoomHistoryShowsTheLastNMessagesOldestFirstWithTheirTimes()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxRoomMessagesPerSecond = 100 });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await RoomSetup.JoinAsync("#team", alice, bob);
        for (var i = 1; i <= 4; i++)
        {
            (i % 2 == 1 ? alice : bob).Type($"message #team m{i}");
            await alice.ExpectAsync($"#team {(i % 2 == 1 ? "alice" : "bob")}: m{i}");
        }

        bob.Type("history #team 3");

        await bob.ExpectAsync("History of #team (3 messages, oldest first):");
        var sentAt = server.Clock.GetUtcNow().ToLocalTime().ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        await bob.ExpectAsync($"[{sentAt}] bob: m2");
        await bob.ExpectAsync($"[{sentAt}] alice: m3");
        await bob.ExpectAsync($"[{sentAt}] bob: m4");
        Assert.IsFalse(bob.Ui.Lines.Any(l => l.EndsWith("] alice: m1", StringComparison.Ordinal)), "only the last 3");
    }

    [TestMethod]
    public async Task DirectHistoryShowsTheConversationInBothDirectionsIncludingWhatWasStored()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("message bob while you were away");
        await alice.ExpectAsync("bob is not connected");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await bob.ExpectAsync("alice: while you were away");
        bob.Type("message alice back now");
        await alice.ExpectAsync("bob: back now");
        alice.Type("message carol not part of it");
        await alice.ExpectAsync("carol is not connected");

        alice.Type("history bob");

        await alice.ExpectAsync("History of bob (2 messages, oldest first):");
        await alice.ExpectAsync("] alice: while you were away");
        await alice.ExpectAsync("] bob: back now");
        bob.Type("history alice 1");
        await bob.ExpectAsync("History of alice (1 message, oldest first):");
        await bob.ExpectAsync("] bob: back now");
    }

    [TestMethod]
    public async Task WithDirectHistoryOffADeliveredMessageLeavesNoRecordAndHistorySaysSoWhileRoomsKeepTheirs()
    {
        await using var server = await TestServer.StartAsync(o => o with { KeepDirectHistory = false });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Type("message bob off the record");
        await bob.ExpectAsync("alice: off the record");
        await RoomSetup.JoinAsync("#team", alice, bob);
        alice.Type("message #team on the record");
        await bob.ExpectAsync("#team alice: on the record");

        alice.Type("history bob");
        await alice.ExpectAsync("This server keeps no history of direct messages (rooms keep theirs).");
        alice.Type("history #team");
        await alice.ExpectAsync("] alice: on the record");

        Assert.IsEmpty(await server.Store.LoadDirectHistoryAsync("alice", "bob", 10), "nothing of the conversation was written");
    }

    [TestMethod]
    [DataRow("history", "Usage: history <#room|user> [<n>]")]
    [DataRow("history #team 0", "Usage: history <#room|user> [<n>]")]
    [DataRow("history #team 501", "Usage: history <#room|user> [<n>]")]
    [DataRow("history #team many", "Usage: history <#room|user> [<n>]")]
    [DataRow("history #lunch", "You are not in #lunch.")]
    [DataRow("history #nowhere", "There is no room #nowhere.")]
    [DataRow("history nobody", "Invalid user: nobody.")]
    [DataRow("history alice", "You cannot read the history with yourself.")]
    [DataRow("history carol", "No messages with carol yet.")]
    public async Task HistoryRefusesWhatTheAskerCannotReadAndSaysWhenThereIsNothing(string command, string answer)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await RoomSetup.JoinAsync("#team", alice);
        bob.Type("join #lunch");
        await bob.ExpectAsync("You created #lunch");

        alice.Type(command);

        await alice.ExpectAsync(answer);
    }

    [TestMethod]
    public async Task RoomHistoryLeavesOutSendersTheAskerBlocked()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await RoomSetup.JoinAsync("#team", alice, bob, carol);
        alice.Type("message #team from alice");
        await alice.ExpectAsync("#team alice: from alice");
        bob.Type("message #team from bob");
        await carol.ExpectAsync("#team bob: from bob");
        carol.Type("block alice");
        await carol.ExpectAsync("alice is blocked");

        carol.Type("history #team");

        await carol.ExpectAsync("History of #team (1 message, oldest first):");
        await carol.ExpectAsync("] bob: from bob");
    }
}
