using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Issues;

/// <summary>Issue 18: consent before a private session (`privatemode ask`, acceptprivate / declineprivate, the 60 s timeout).</summary>
[TestClass]
public sealed class Issue18ConsentTests
{
    private const string NoSession = "Private session";

    /// <summary>Sets the user's mode to ask and waits for the server's word that it took.</summary>
    private static async Task AskFirstAsync(TestClient user)
    {
        user.Type("privatemode ask");
        await user.ExpectAsync("Private mode: ask");
    }

    /// <summary>alice asks bob (who asks first) and both see it: alice waiting, bob the request.</summary>
    private static async Task RequestAsync(TestClient alice, TestClient bob)
    {
        alice.Type("startprivate bob");
        await alice.ExpectAsync("Waiting for bob to accept the private session (up to 60 s)...");
        await bob.ExpectAsync("alice wants a private session: acceptprivate alice / declineprivate alice");
    }

    [TestMethod]
    public async Task OpenIsTheDefaultAndAskIsKeptByTheServerAcrossLogins()
    {
        await using var server = await TestServer.StartAsync();
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            bob.Type("privatemode");
            await bob.ExpectAsync("Private mode: open");
            await AskFirstAsync(bob);
            await bob.LogoutAsync();
        }
        await using var bobAgain = await TestClient.LoginAsync(server, "bob");
        bobAgain.Type("privatemode");
        await bobAgain.ExpectAsync("Private mode: ask");
        bobAgain.Type("privatemode maybe");
        await bobAgain.ExpectAsync("Usage: privatemode [ask|open]");
    }

    [TestMethod]
    public async Task AskModeOutlastsAServerRestartAndOpenAgainIsKeptToo()
    {
        await using var server = await TestServer.StartAsync();
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await AskFirstAsync(bob);
            await bob.LogoutAsync();
        }
        await server.RestartAsync();

        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            bob.Type("privatemode");
            await bob.ExpectAsync("Private mode: ask");
            bob.Type("privatemode open");
            await bob.ExpectAsync("Private mode: open");
            await bob.LogoutAsync();
        }
        await server.RestartAsync();

        await using var bobAgain = await TestClient.LoginAsync(server, "bob");
        bobAgain.Type("privatemode");
        await bobAgain.ExpectAsync("Private mode: open");
    }

    [TestMethod]
    public async Task AskModeShowsTheRequestAndAcceptingOpensTheSession()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await AskFirstAsync(bob);

        await RequestAsync(alice, bob);
        bob.Type("acceptprivate alice");
        await alice.ExpectAsync("Private session with bob started.");
        await bob.ExpectAsync("Private session with alice started.");
        await bob.BarrierAsync();
        Assert.IsTrue(bob.Ui.Lines.Contains("You accepted alice's private session; alice is connecting."));
        alice.Type("private bob consented-hello");
        await bob.ExpectAsync("alice(private): consented-hello");
        Assert.AreEqual(0, server.Chat.PrivateSessions.PendingRequests);
    }

    [TestMethod]
    public async Task ADeclinedRequestOpensNothingAndTheInitiatorIsTold()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await AskFirstAsync(bob);

        await RequestAsync(alice, bob);
        bob.Type("declineprivate alice");
        await bob.ExpectAsync("You declined alice's private session.");
        await alice.ExpectAsync("bob declined the private session.");

        alice.Type("private bob are you there?");
        await alice.ExpectAsync("Private messaging to bob not enabled.");
        await alice.BarrierAsync();
        await bob.BarrierAsync();
        Assert.IsFalse(alice.Ui.Lines.Concat(bob.Ui.Lines).Any(l => l.StartsWith(NoSession, StringComparison.Ordinal)), "nothing opened");
        bob.Type("acceptprivate alice");
        await bob.ExpectAsync("alice has no open request for a private session with you");
    }

    [TestMethod]
    public async Task AnUnansweredRequestTimesOutAfterSixtySecondsOfTheFakeClockAndOpensNothing()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await AskFirstAsync(bob);
        await RequestAsync(alice, bob);

        server.Clock.Advance(TimeSpan.FromSeconds(59));
        await alice.BarrierAsync();
        Assert.IsFalse(alice.Ui.Lines.Any(l => l.StartsWith("No answer", StringComparison.Ordinal)), "not before 60 s");
        Assert.AreEqual(1, server.Chat.PrivateSessions.PendingRequests);

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await alice.ExpectAsync("No answer from bob; no private session was opened.");
        await bob.ExpectAsync("[server] alice's request for a private session ended: no answer within 60 s.");
        Assert.AreEqual(0, server.Chat.PrivateSessions.PendingRequests, "the timer's request is gone");
        bob.Type("acceptprivate alice");
        await bob.ExpectAsync("alice has no open request for a private session with you (requests end after 60 s).");
        await alice.BarrierAsync();
        Assert.IsFalse(alice.Ui.Lines.Concat(bob.Ui.Lines).Any(l => l.StartsWith(NoSession, StringComparison.Ordinal)), "nothing opened");
    }

    [TestMethod]
    public async Task WaitingForAnAnswerDoesNotHoldTheRequestersOtherCommands()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await AskFirstAsync(bob);

        alice.Type("startprivate bob");
        alice.Type("message carol still typing while bob thinks");
        alice.Type("whoelse");
        await carol.ExpectAsync("alice: still typing while bob thinks");
        await alice.ExpectAsync("carol");
        Assert.AreEqual(1, server.Chat.PrivateSessions.PendingRequests, "bob has not answered, yet alice went on");
        bob.Type("acceptprivate alice");
        await alice.ExpectAsync("Private session with bob started.");
    }

    [TestMethod]
    public async Task RepeatedRequestsFromOneUserAreLimited()
    {
        await using var server = await TestServer.StartAsync(o => o with { PrivateRequestsPerMinute = 2 });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await AskFirstAsync(bob);

        alice.Type("startprivate bob");
        await alice.ExpectAsync("Waiting for bob");
        alice.Type("startprivate bob");
        await alice.ExpectAsync("You already asked bob for a private session; waiting for an answer.");
        bob.Type("declineprivate alice");
        await alice.ExpectAsync("bob declined the private session.");
        alice.Type("startprivate bob");
        await alice.ExpectAsync("Waiting for bob");
        bob.Type("declineprivate alice");
        await alice.ExpectAsync("bob declined the private session.");
        alice.Type("startprivate bob");
        await alice.ExpectAsync("You have asked for too many private sessions in the last minute; wait a minute and try again.");
        await bob.BarrierAsync();
        Assert.AreEqual(2, bob.Ui.Lines.Count(l => l.StartsWith("alice wants", StringComparison.Ordinal)), "the refused request never reached bob");

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        alice.Type("startprivate bob");
        await alice.ExpectAsync("Waiting for bob");
    }

    [TestMethod]
    public async Task PendingRequestsEndWhenEitherUserLeavesAndTheWaitingSideIsTold()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        await using (var bob = await TestClient.LoginAsync(server, "bob"))
        {
            await AskFirstAsync(bob);
            await RequestAsync(alice, bob);
            await bob.LogoutAsync();
        }
        await alice.ExpectAsync("bob is no longer available; no private session was opened.");
        Assert.AreEqual(0, server.Chat.PrivateSessions.PendingRequests);

        await AskFirstAsync(carol);
        alice.Type("startprivate carol");
        await carol.ExpectAsync("alice wants a private session");
        await alice.LogoutAsync();
        await carol.ExpectAsync("[server] alice's request for a private session ended: alice left.");
        Assert.AreEqual(0, server.Chat.PrivateSessions.PendingRequests, "the requester's logout ends its request and timer");
        carol.Type("acceptprivate alice");
        await carol.ExpectAsync("alice has no open request");
    }
}
