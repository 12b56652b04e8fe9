using Messenger.IntegrationTests.Harness;
using Messenger.Server.Admin;

namespace Messenger.IntegrationTests.Issues;

/// <summary>Issue 18: `version` (client and console), `privates`, and `help` listing the new commands.</summary>
[TestClass]
public sealed class Issue18VersionAndPrivatesTests
{
    [TestMethod]
    public async Task VersionShowsClientServerAndProtocolVersionsAndThePinnedServerKey()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("version");
        StringAssert.StartsWith(await alice.ExpectAsync("client   MessengerSuite "), "client   MessengerSuite ");
        StringAssert.EndsWith(await alice.ExpectAsync("server   MessengerSuite "), "(protocol 1)");
        await alice.ExpectAsync($"server key SHA-256 {server.SpkiFingerprint} (pinned, checked on every connection)");
    }

    [TestMethod]
    public async Task VersionInPlaintextSaysTheKeyIsOnlyTheServersWord()
    {
        await using var server = await TestServer.StartAsync(o => o with { Plaintext = true });
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("version");
        await alice.ExpectAsync($"server key SHA-256 {server.SpkiFingerprint} (as the server states it: without TLS nothing checks it)");
    }

    [TestMethod]
    public async Task TheConsoleVersionCommandShowsTheServerProtocolAndKey()
    {
        await using var server = await TestServer.StartAsync();
        var output = new StringWriter();
        var console = new ServerConsole(server.Chat, output, () => Task.CompletedTask);
        await console.ExecuteAsync("version");
        var text = output.ToString();
        StringAssert.Contains(text, "server   MessengerSuite ");
        StringAssert.Contains(text, "protocol 1");
        StringAssert.Contains(text, $"key      {server.SpkiFingerprint}");
        await console.ExecuteAsync("help");
        StringAssert.Contains(output.ToString(), "version ");
    }

    [TestMethod]
    public async Task PrivatesListsEachOpenSessionWithSinceAndMessagesEachWay()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        await using var carol = await TestClient.LoginAsync(server, "carol");
        alice.Type("privates");
        await alice.ExpectAsync("No private sessions are open.");

        alice.Type("startprivate bob");
        await alice.ExpectAsync("Private session with bob started.");
        await bob.ExpectAsync("Private session with alice started.");
        carol.Type("startprivate alice");
        await alice.ExpectAsync("Private session with carol started.");
        alice.Type("private bob one");
        alice.Type("private bob two");
        await bob.ExpectAsync("alice(private): two");
        bob.Type("private alice back");
        await alice.ExpectAsync("bob(private): back");

        alice.Type("privates");
        await alice.ExpectAsync("2 private sessions:");
        var bobLine = await alice.ExpectAsync("  bob ");
        StringAssert.Contains(bobLine, "since ");
        StringAssert.EndsWith(bobLine, "2 sent, 1 received");
        StringAssert.EndsWith(await alice.ExpectAsync("  carol "), "0 sent, 0 received");
        bob.Type("privates");
        StringAssert.EndsWith(await bob.ExpectAsync("  alice "), "1 sent, 2 received");
    }

    [TestMethod]
    public async Task HelpListsTheNewCommands()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        alice.Type("help");
        foreach (var command in new[] { "privatemode [ask|open]", "acceptprivate <user>", "declineprivate <user>", "privates", "version" })
        {
            await alice.ExpectAsync($"  {command} ");
        }
    }
}
