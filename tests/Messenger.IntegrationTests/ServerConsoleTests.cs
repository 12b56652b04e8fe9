using Messenger.IntegrationTests.Harness;
using Messenger.Server.Admin;

namespace Messenger.IntegrationTests;

[TestClass]
public sealed class ServerConsoleTests
{
    [TestMethod]
    public async Task OperatorCanListUsersBroadcastSendAndShutDown()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        var output = new StringWriter();
        var shutdownRequested = false;
        var console = new ServerConsole(server.Chat, output, () => { shutdownRequested = true; return Task.CompletedTask; });

        await console.ExecuteAsync("users");
        StringAssert.Contains(output.ToString(), $"alice{Environment.NewLine}bob");

        await console.ExecuteAsync("broadcast maintenance at noon");
        await alice.ExpectAsync("[server] maintenance at noon");
        await bob.ExpectAsync("[server] maintenance at noon");

        await console.ExecuteAsync("send alice just for you");
        await alice.ExpectAsync("server: just for you");
        await console.ExecuteAsync("send carol waiting for you");
        await using (var carol = await TestClient.LoginAsync(server, "carol"))
        {
            await carol.ExpectAsync("server: waiting for you");
        }

        await console.ExecuteAsync("frobnicate");
        StringAssert.Contains(output.ToString(), "Unknown or incomplete console command 'frobnicate'");
        Assert.IsTrue(await console.ExecuteAsync("shutdown"));
        Assert.IsTrue(shutdownRequested);
    }

    [TestMethod]
    public async Task RegistrationCreatesAnAccountOnlyWhenEnabled()
    {
        await using (var closed = await TestServer.StartAsync())
        {
            await using var stranger = TestClient.Start(closed);
            stranger.Type("newbie");
            stranger.Type("fresh-pass");
            await stranger.ExpectAsync("Unknown user name 'newbie'");
        }

        await using var open = await TestServer.StartAsync(o => o with { AllowRegistration = true });
        await using (var newbie = TestClient.Start(open))
        {
            newbie.Type("newbie");
            newbie.Type("fresh-pass");
            newbie.Type("y"); // No account 'newbie'. Create it? (issue 18: never without asking)
            newbie.Type("fresh-pass");
            newbie.Type("fresh-pass");
            await newbie.ExpectAsync("Welcome to MessengerSuite, newbie! Your account is new");
            await newbie.LogoutAsync();
        }
        var line = (await File.ReadAllLinesAsync(open.Options.CredentialsPath)).Single(l => l.StartsWith("newbie ", StringComparison.Ordinal));
        StringAssert.StartsWith(line, "newbie $pbkdf2-sha256$", "new accounts are stored hashed");

        await using var again = TestClient.Start(open);
        again.Type("newbie");
        again.Type("wrong");
        await again.ExpectAsync("Invalid Password");
    }
}
