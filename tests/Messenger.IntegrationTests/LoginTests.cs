using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.IntegrationTests;

[TestClass]
public sealed class LoginTests
{
    [TestMethod]
    public async Task CorrectPasswordLogsInAndShowsWelcome()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = TestClient.Start(server);
        alice.Type("alice");
        alice.Type("alice-pass");
        await alice.ExpectAsync("Welcome to MessengerSuite, alice!");
        CollectionAssert.AreEqual(new[] { "Username: ", "Password: ", "> " }, alice.Ui.Prompts.Take(3).ToArray());
    }

    [TestMethod]
    public async Task WrongPasswordAsksForThePasswordAgain()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = TestClient.Start(server);
        alice.Type("alice");
        alice.Type("nope");
        await alice.ExpectAsync("Invalid Password. Please try again");
        await alice.Ui.WaitForPromptAsync("Password: ", 2);
        alice.Type("alice-pass");
        await alice.ExpectAsync("Welcome");
        Assert.AreEqual(1, alice.Ui.Prompts.Count(p => p == "Username: "));
    }

    [TestMethod]
    public async Task UnknownUserAsksForTheUserNameAgain()
    {
        await using var server = await TestServer.StartAsync();
        await using var client = TestClient.Start(server);
        client.Type("mallory");
        client.Type("whatever");
        await client.ExpectAsync("Unknown user name 'mallory'");
        await client.Ui.WaitForPromptAsync("Username: ", 2);
        client.Type("bob");
        client.Type("bob-pass");
        await client.ExpectAsync("Welcome to MessengerSuite, bob!");
    }

    [TestMethod]
    public async Task ThirdWrongPasswordLocksTheAccountAndTheClientExits()
    {
        await using var server = await TestServer.StartAsync();
        await using var first = TestClient.Start(server);
        first.Type("alice");
        first.Type("x1");
        first.Type("x2");
        first.Type("x3");
        await first.ExpectAsync("Your account has been blocked");
        Assert.AreEqual(1, await first.ExitCodeAsync());

        // From another connection, even the right password is refused while the lock lasts.
        await using var second = TestClient.Start(server);
        second.Type("alice");
        second.Type("alice-pass");
        await second.ExpectAsync("blocked due to multiple login failures");
        Assert.AreEqual(1, await second.ExitCodeAsync());
    }

    [TestMethod]
    public async Task LockExpiresAfterBlockTimeAndAttemptsDuringItDoNotExtendIt()
    {
        await using var server = await TestServer.StartAsync(o => o with { BlockDuration = TimeSpan.FromSeconds(10) });
        await LockAsync(server, "bob");

        server.Clock.Advance(TimeSpan.FromSeconds(9));
        await using (var early = TestClient.Start(server))
        {
            early.Type("bob");
            early.Type("bob-pass");
            await early.ExpectAsync("blocked due to multiple login failures");
        }

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await using var later = TestClient.Start(server);
        later.Type("bob");
        later.Type("bob-pass");
        await later.ExpectAsync("Welcome to MessengerSuite, bob!");
    }

    [TestMethod]
    public async Task WrongPasswordCountSurvivesReconnectingAndResetsOnSuccess()
    {
        await using var server = await TestServer.StartAsync();
        await using (var first = TestClient.Start(server))
        {
            first.Type("carol");
            first.Type("bad1");
            first.Type("bad2");
            await first.Ui.WaitForPromptAsync("Password: ", 3);
        }
        await using (var second = TestClient.Start(server))
        {
            second.Type("carol");
            second.Type("bad3");
            await second.ExpectAsync("Your account has been blocked");
        }
        server.Clock.Advance(server.Options.BlockDuration);
        await using var third = TestClient.Start(server);
        third.Type("carol");
        third.Type("bad4");
        third.Type("carol-pass");
        await third.ExpectAsync("Welcome");
        await third.LogoutAsync();

        // The success reset the count: two more wrong passwords do not lock.
        await using var fourth = TestClient.Start(server);
        fourth.Type("carol");
        fourth.Type("bad5");
        fourth.Type("bad6");
        fourth.Type("carol-pass");
        await fourth.ExpectAsync("Welcome");
    }

    [TestMethod]
    public async Task ManyConcurrentGuessesGetExactlyThreeCountedTries()
    {
        await using var server = await TestServer.StartAsync();
        var connections = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => RawConnection.ConnectAsync(server.Port)));
        try
        {
            await Task.WhenAll(connections.Select(c => c.SendAsync(FrameType.Login, 1, new LoginRequest("dave", "guess"), ProtocolJsonContext.Default.LoginRequest)));
            var reasons = new List<string?>();
            foreach (var connection in connections)
            {
                reasons.Add((await connection.ReadResponseAsync(1)).AsResponse()?.Reason);
            }
            Assert.AreEqual(2, reasons.Count(r => r == Reasons.WrongPassword), string.Join(",", reasons));
            Assert.AreEqual(1, reasons.Count(r => r == Reasons.LockedOut), string.Join(",", reasons));
            // The other nine are refused uncounted: locked out, or (racing the 10-a-minute limit per address and name,
            // which counts every failure) rate limited.
            Assert.AreEqual(9, reasons.Count(r => r is Reasons.StillLockedOut or Reasons.RateLimited), string.Join(",", reasons));
        }
        finally
        {
            foreach (var connection in connections)
            {
                await connection.DisposeAsync();
            }
        }
    }

    [TestMethod]
    public async Task SecondLoginOfAnOnlineUserIsRefusedAndTheFirstSessionKeepsWorking()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var intruder = TestClient.Start(server);
        intruder.Type("alice");
        intruder.Type("alice-pass");
        await intruder.ExpectAsync("alice is already logged in");
        await intruder.Ui.WaitForPromptAsync("Username: ", 2);

        await using var bob = await TestClient.LoginAsync(server, "bob");
        bob.Type("message alice still there?");
        await alice.ExpectAsync("bob: still there?");
    }

    [TestMethod]
    public async Task LockoutSurvivesAServerRestart()
    {
        await using var server = await TestServer.StartAsync();
        await LockAsync(server, "erin");
        await server.RestartAsync();
        await using var client = TestClient.Start(server);
        client.Type("erin");
        client.Type("erin-pass");
        await client.ExpectAsync("blocked due to multiple login failures");
    }

    private static async Task LockAsync(TestServer server, string user)
    {
        await using var client = TestClient.Start(server);
        client.Type(user);
        client.Type("wrong1");
        client.Type("wrong2");
        client.Type("wrong3");
        await client.ExpectAsync("Your account has been blocked");
        Assert.AreEqual(1, await client.ExitCodeAsync());
    }
}
