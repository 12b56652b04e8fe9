using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>message #room: to every member, in order, once, including members who were away and come back.</summary>
[TestClass]
public sealed class RoomMessagingTests
{
    [TestMethod]
    public async Task ARoomMessageReachesEveryMemberAndComesBackToTheSenderButNotToOthers()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await RoomSetup.JoinAsync("#team", alice, bob);

        alice.Type("message #team Hi   all, héllo 👋");

        await alice.ExpectAsync("#team alice: Hi   all, héllo 👋");
        await bob.ExpectAsync("#team alice: Hi   all, héllo 👋");
        await carol.BarrierAsync();
        Assert.IsFalse(carol.Ui.Lines.Any(l => l.Contains("héllo", StringComparison.Ordinal)), "carol is not a member");
    }

    [TestMethod]
    [DataRow("message #team hello", "You are not in #team.")]
    [DataRow("message #nowhere hello", "There is no room #nowhere.")]
    [DataRow("message #no.pe hello", "Invalid room name '#no.pe'")]
    [DataRow("message #team", "Usage: message <#room> <text>")]
    public async Task MessagesToARoomTheSenderCannotReachAreRefused(string command, string answer)
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await RoomSetup.JoinAsync("#team", alice);

        bob.Type(command);

        await bob.ExpectAsync(answer);
    }

    [TestMethod]
    public async Task AnOfflineMemberCatchesUpAtLoginInOrderOnceWithTheSendTimes()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await RoomSetup.JoinAsync("#team", alice, bob);
            await bob.LogoutAsync();
        }
        foreach (var text in new[] { "one", "two", "three" })
        {
            alice.Type($"message #team {text}");
            await alice.ExpectAsync($"#team alice: {text}");
        }

        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await bob.ExpectAsync("#team alice: three (sent ");
            CollectionAssert.AreEqual(new[] { "#team alice: one", "#team alice: two", "#team alice: three" },
                bob.Ui.Messages.Where(l => l.StartsWith("#team ", StringComparison.Ordinal)).ToArray(), "in order, once each");
            Assert.IsTrue(bob.Ui.Lines.Where(l => l.StartsWith("#team ", StringComparison.Ordinal)).All(l => l.Contains(" (sent ", StringComparison.Ordinal)),
                "each stored message shows when it was sent");
            alice.Type("message #team live again");
            var live = await bob.ExpectAsync("#team alice: live again");
            Assert.IsFalse(live.Contains("(sent", StringComparison.Ordinal), "a live message shows no send time");
            await bob.LogoutAsync();
        }
        await using var again = await TestClient.LoginAsync(server, "bob");
        alice.Type("message #team marker");
        await again.ExpectAsync("#team alice: marker");

        Assert.AreEqual(1, again.Ui.Lines.Count(l => l.StartsWith("#team ", StringComparison.Ordinal)), "what was acknowledged is not shown again");
    }

    [TestMethod]
    public async Task ALongAbsenceCatchesUpOverManyPagesInOrderWithLiveMessagesAfterIt()
    {
        const int Stored = 250; // two and a half catch-up pages
        await using var server = await TestServer.StartAsync(o => o with { MaxRoomMessagesPerSecond = 1000 });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await RoomSetup.JoinAsync("#team", alice, bob);
            await bob.LogoutAsync();
        }
        for (var i = 1; i <= Stored; i++)
        {
            alice.Type($"message #team m{i}");
        }
        await alice.ExpectAsync($"#team alice: m{Stored}");

        await using var bobAgain = await TestClient.LoginAsync(server, "bob");
        alice.Type("message #team after the backlog");
        await bobAgain.ExpectAsync("#team alice: after the backlog");

        var expected = Enumerable.Range(1, Stored).Select(i => $"#team alice: m{i}").Append("#team alice: after the backlog").ToArray();
        CollectionAssert.AreEqual(expected, bobAgain.Ui.Messages.Where(l => l.StartsWith("#team ", StringComparison.Ordinal)).ToArray());
    }

    [TestMethod]
    public async Task AMemberWhoBlockedTheSenderGetsNoneOfItsRoomMessagesLiveOrStored()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using (var carol = await TestClient.LoginAsync(server, "carol"))
        {
            await RoomSetup.JoinAsync("#team", alice, bob, carol);
            carol.Type("block alice");
            await carol.ExpectAsync("alice is blocked");
            alice.Type("message #team live from alice");
            bob.Type("message #team live marker");
            await carol.ExpectAsync("#team bob: live marker");
            Assert.IsFalse(carol.Ui.Lines.Any(l => l.Contains("live from alice", StringComparison.Ordinal)));
            await bob.ExpectAsync("#team alice: live from alice");
            await carol.LogoutAsync();
        }
        alice.Type("message #team stored from alice");
        await alice.ExpectAsync("#team alice: stored from alice");
        bob.Type("message #team stored marker");
        await bob.ExpectAsync("#team bob: stored marker");

        await using var carolAgain = await TestClient.LoginAsync(server, "carol");
        await carolAgain.ExpectAsync("#team bob: stored marker");

        Assert.IsFalse(carolAgain.Ui.Lines.Any(l => l.Contains("from alice", StringComparison.Ordinal)), "blocked in catch-up too");
    }

    [TestMethod]
    public async Task SendingToARoomFasterThanTheLimitIsRefusedAndOthersGetOnlyWhatWasAccepted()
    {
        await using var server = await TestServer.StartAsync(o => o with { MaxRoomMessagesPerSecond = 2 });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await RoomSetup.JoinAsync("#team", alice, bob);

        alice.Type("message #team first");
        alice.Type("message #team second");
        alice.Type("message #team third");
        await alice.ExpectAsync("You are sending to #team too fast; slow down and try again.");
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        alice.Type("message #team fourth");
        await bob.ExpectAsync("#team alice: fourth");

        CollectionAssert.AreEqual(new[] { "#team alice: first", "#team alice: second", "#team alice: fourth" },
            bob.Ui.Lines.Where(l => l.StartsWith("#team ", StringComparison.Ordinal)).ToArray());
    }

    [TestMethod]
    public async Task AMemberWhosePathIsCutGetsWhatWasSaidMeanwhileOnceInOrderAfterTheResume()
    {
        await using var server = await TestServer.StartAsync();
        await using var proxy = FaultProxy.Start(server.Port);
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob", o => o with { Port = proxy.Port });
        await RoomSetup.JoinAsync("#team", alice, bob);
        alice.Type("message #team m1");
        await bob.ExpectAsync("#team alice: m1");

        proxy.CutAll();
        for (var i = 2; i <= 4; i++)
        {
            alice.Type($"message #team m{i}");
            await alice.ExpectAsync($"#team alice: m{i}");
        }
        await bob.ExpectAsync("Reconnected.");
        alice.Type("message #team m5");
        await bob.ExpectAsync("#team alice: m5");

        CollectionAssert.AreEqual(Enumerable.Range(1, 5).Select(i => $"#team alice: m{i}").ToArray(),
            bob.Ui.Messages.Where(l => l.StartsWith("#team ", StringComparison.Ordinal)).ToArray(), "each once, in order, across the cut");
    }
}
