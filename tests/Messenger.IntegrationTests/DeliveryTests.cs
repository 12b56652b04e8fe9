using System.Text.RegularExpressions;
using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Connections;

namespace Messenger.IntegrationTests;

[TestClass]
public sealed class DeliveryTests
{
    [TestMethod]
    public async Task DroppedRecipientConnectionLosesNothingAndShowsEachMessageOnce()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");

        // bob's first client receives the messages but dies before acknowledging any of them.
        await using (var bobRaw = await LogInRawAsync(server, "bob"))
        {
            for (var i = 1; i <= 5; i++)
            {
                alice.Type($"message bob m{i}");
            }
            for (var i = 1; i <= 5; i++)
            {
                var frame = await bobRaw.ReadFrameAsync();
                while (frame!.Type != FrameType.IncomingMessage)
                {
                    frame = await bobRaw.ReadFrameAsync();
                }
                Assert.AreEqual($"m{i}", frame.Read(ProtocolJsonContext.Default.IncomingMessage).Text);
            }
        }

        await using var bob = TestClient.Start(server);
        bob.Type("bob");
        bob.Type("bob-pass");
        for (var i = 1; i <= 5; i++)
        {
            await bob.ExpectAsync($"alice: m{i}");
        }
        for (var i = 1; i <= 5; i++)
        {
            await alice.ExpectAsync("bob is not connected"); // each was answered `stored` once bob's connection died
        }
        await bob.BarrierAsync();
        var shown = bob.Ui.Messages.Where(l => l.StartsWith("alice: m", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(1, 5).Select(i => $"alice: m{i}").ToList(), shown, "each message once, in order");
    }

    [TestMethod]
    public async Task UnacknowledgedMessagesAroundABroadcastComeBackInTheOrderTheyWereSent()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");

        // bob's first client receives a direct message, a broadcast and another direct message, and acknowledges none.
        await using (var bobRaw = await LogInRawAsync(server, "bob"))
        {
            alice.Type("message bob m1");
            alice.Type("broadcast m2");
            alice.Type("message bob m3");
            var texts = new List<string>();
            while (texts.Count < 3)
            {
                var frame = await bobRaw.ReadFrameAsync();
                if (frame!.Type == FrameType.IncomingMessage)
                {
                    texts.Add(frame.Read(ProtocolJsonContext.Default.IncomingMessage).Text);
                }
            }
            CollectionAssert.AreEqual(new[] { "m1", "m2", "m3" }, texts);
        }

        // Stored when that connection died, in the order of their delivery ids: the broadcast's id came from the node's
        // counter, the direct messages' from bob's own block of ids, and m3 must still sort after m2.
        await using var bob = TestClient.Start(server);
        bob.Type("bob");
        bob.Type("bob-pass");
        await bob.ExpectAsync("m3");
        await bob.BarrierAsync();
        var shown = bob.Ui.Messages.Where(l => l.StartsWith("alice", StringComparison.Ordinal) && Regex.IsMatch(l, ": m[0-9]$")).Select(l => l[^2..]).ToList();
        CollectionAssert.AreEqual(new[] { "m1", "m2", "m3" }, shown, "each message once, in the order it was sent");
    }

    [TestMethod]
    public async Task ResumedSessionDoesNotLookLikeALogoutToOthers()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await alice.ExpectAsync("bob logged in");
        AbortConnectionOf(server, "bob");
        await bob.ExpectAsync("Reconnected.");
        bob.Type("message alice back");
        await alice.ExpectAsync("bob: back");
        Assert.IsFalse(alice.Ui.Lines.Any(l => l == "bob logged out"));
    }

    [TestMethod]
    public async Task SenderOutboxIsSentAgainAfterItsConnectionDrops()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Type("message bob before");
        await bob.ExpectAsync("alice: before");
        AbortConnectionOf(server, "alice");
        alice.Type("message bob during");
        await alice.ExpectAsync("Reconnected.");
        await bob.ExpectAsync("alice: during");
        await bob.BarrierAsync();
        Assert.AreEqual(1, bob.Ui.Messages.Count(l => l == "alice: during"));
    }

    [TestMethod]
    public async Task ADetachedSessionCanBeTakenOverByAPasswordLogin()
    {
        await using var server = await TestServer.StartAsync(o => o with { ResumeGracePeriod = TimeSpan.FromMinutes(5) });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await (await LogInRawAsync(server, "carol")).DisposeAsync(); // carol's client crashed
        await alice.ExpectAsync("carol logged in");

        alice.Type("message carol while you were away");
        await alice.ExpectAsync("carol is not connected");
        await using var second = TestClient.Start(server);
        second.Type("carol");
        second.Type("carol-pass");
        await second.ExpectAsync("Welcome back, carol.");
        await second.ExpectAsync("alice: while you were away");
    }

    [TestMethod]
    public async Task SessionEndsForOthersWhenTheResumeGracePeriodPasses()
    {
        await using var server = await TestServer.StartAsync(o => o with { ResumeGracePeriod = TimeSpan.FromSeconds(30) });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await (await LogInRawAsync(server, "bob")).DisposeAsync();
        await alice.ExpectAsync("bob logged in");
        // `stored` is only answered once the server has seen bob's connection end: from then on the grace period runs.
        alice.Type("message bob are you there?");
        await alice.ExpectAsync("bob is not connected");
        server.Clock.Advance(TimeSpan.FromSeconds(29));
        await alice.BarrierAsync();
        Assert.IsFalse(alice.Ui.Lines.Contains("bob logged out"), "within the grace period bob may still come back");
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await alice.ExpectAsync("bob logged out");
    }

    [TestMethod]
    public async Task ServerShutdownTellsClientsAndTheyDoNotReconnect()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await server.StopAsync();
        await alice.ExpectAsync("The server is shutting down.");
        Assert.AreEqual(1, await alice.ExitCodeAsync());
        Assert.IsFalse(alice.Ui.Lines.Any(l => l.Contains("reconnecting", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task KickEndsTheSessionWithAReason()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        var output = new StringWriter();
        var console = new Server.Admin.ServerConsole(server.Chat, output, () => Task.CompletedTask);
        await console.ExecuteAsync("kick alice");
        await alice.ExpectAsync("disconnected by the server operator");
        Assert.AreEqual(1, await alice.ExitCodeAsync());
        StringAssert.Contains(output.ToString(), "alice was disconnected.");
        await console.ExecuteAsync("stats");
        StringAssert.Contains(output.ToString(), "users=0");
    }

    private static Task<RawConnection> LogInRawAsync(TestServer server, string user) =>
        RawConnection.LogInAsync(server, new LoginRequest(user, TestDefaults.Accounts[user]));

    private static void AbortConnectionOf(TestServer server, string user)
    {
        var session = server.Chat.Sessions.Find(user) ?? throw new AssertFailedException($"{user} is not online");
        ((ClientConnection)session.Link!).Abort(Reasons.ProtocolError);
    }
}
