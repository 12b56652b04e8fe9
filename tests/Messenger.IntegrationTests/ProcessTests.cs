using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests;

/// <summary>The few things only separate processes prove: exit codes, pipe mode, and surviving `kill -9`.</summary>
[TestClass]
public sealed class ProcessTests
{
    private string workDirectory = "";

    [TestInitialize]
    public void CreateWorkDirectory()
    {
        workDirectory = Path.Combine(Path.GetTempPath(), "messenger-proc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workDirectory);
        File.WriteAllLines(Path.Combine(workDirectory, "credentials.txt"), TestDefaults.Accounts.Select(a => $"{a.Key} {a.Value}"));
    }

    [TestCleanup]
    public void DeleteWorkDirectory()
    {
        try
        {
            Directory.Delete(workDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleanup.
        }
    }

    [TestMethod]
    [DataRow(new string[0])]
    [DataRow(new[] { "4000", "60" })]
    [DataRow(new[] { "port", "60", "300" })]
    [DataRow(new[] { "70000", "60", "300" })]
    [DataRow(new[] { "4000", "0", "300" })]
    [DataRow(new[] { "4000", "60", "-1" })]
    public async Task ServerWithWrongArgumentsPrintsUsageAndExitsWithTwo(string[] arguments)
    {
        await using var server = ChildProcess.Start("server.dll", workDirectory, arguments);
        Assert.AreEqual(2, await server.WaitForExitAsync());
        await server.Errors.WaitForLineAsync("Usage: server <port> <blocktime> <timeout>");
    }

    [TestMethod]
    [DataRow(new[] { "4000", "60", "300", "--cluster" })]
    [DataRow(new[] { "4000", "60", "300", "--cluster", "--postgres", "Host=127.0.0.1" })]
    [DataRow(new[] { "4000", "60", "300", "--cluster", "--redis", "127.0.0.1:6379" })]
    public async Task ServerInClusterModeWithoutPostgresAndRedisSaysWhatItNeedsAndExitsWithTwo(string[] arguments)
    {
        await using var server = ChildProcess.Start("server.dll", workDirectory, arguments);
        Assert.AreEqual(2, await server.WaitForExitAsync());
        await server.Errors.WaitForLineAsync("--cluster needs a PostgreSQL connection string and a Redis endpoint");
    }

    [TestMethod]
    [DataRow(new string[0])]
    [DataRow(new[] { "127.0.0.1" })]
    [DataRow(new[] { "127.0.0.1", "http" })]
    [DataRow(new[] { "127.0.0.1", "0" })]
    public async Task ClientWithWrongArgumentsPrintsUsageAndExitsWithTwo(string[] arguments)
    {
        await using var client = ChildProcess.Start("client.dll", workDirectory, arguments);
        Assert.AreEqual(2, await client.WaitForExitAsync());
        await client.Errors.WaitForLineAsync("Usage: client <host> <port>");
    }

    [TestMethod]
    public async Task ClientSaysClearlyWhenTheServerIsUnreachable()
    {
        await using var client = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", FreePorts.Next().ToString());
        Assert.AreEqual(1, await client.WaitForExitAsync());
        await client.Output.WaitForLineAsync("Cannot connect to 127.0.0.1:");
    }

    [TestMethod]
    public async Task AcceptedOfflineMessagesSurviveKillDashNineOfTheServer()
    {
        var port = FreePorts.Next();
        var server = StartServer(port);
        await server.Output.WaitForLineAsync($"Listening on 127.0.0.1:{port}");

        await using (var alice = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString()))
        {
            alice.Type("alice");
            alice.Type("alice-pass");
            foreach (var text in new[] { "one", "two", "three" })
            {
                alice.Type($"message bob {text}");
                await alice.Output.WaitForLineAsync("bob is not connected");
            }
            await server.KillAsync(); // Acknowledged as stored, then the server dies without any cleanup.
            await alice.Output.WaitForLineAsync("Connection to the server lost");
        }
        await server.DisposeAsync();

        await using var restarted = StartServer(port);
        await restarted.Output.WaitForLineAsync($"Listening on 127.0.0.1:{port}");
        await using var bob = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString());
        bob.Type("bob");
        bob.Type("bob-pass");
        await bob.Output.WaitForLineAsync("alice: one");
        await bob.Output.WaitForLineAsync("alice: two");
        await bob.Output.WaitForLineAsync("alice: three");
        bob.CloseInput();
        Assert.AreEqual(0, await bob.WaitForExitAsync());
        Assert.AreEqual(3, bob.Output.Lines.Count(l => l.StartsWith("alice: ", StringComparison.Ordinal)), string.Join(" | ", bob.Output.Lines));
    }

    [TestMethod]
    public async Task PipeModePrintsOneEventPerLineNoPromptsAndLogsOutAtEndOfInput()
    {
        var port = FreePorts.Next();
        await using var server = StartServer(port);
        await server.Output.WaitForLineAsync("Listening on");
        await using var bob = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString());
        bob.Type("bob");
        bob.Type("bob-pass");
        await bob.Output.WaitForLineAsync("Welcome to MessengerSuite, bob!");

        await using var alice = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString());
        alice.Type("alice");
        alice.Type("alice-pass");
        alice.Type("whoelse");
        alice.Type("message bob last words");
        alice.CloseInput();
        Assert.AreEqual(0, await alice.WaitForExitAsync());
        await bob.Output.WaitForLineAsync("alice: last words");
        await bob.Output.WaitForLineAsync("alice logged out");
        CollectionAssert.AreEqual(new[] { "Welcome to MessengerSuite, alice!", "bob", "Goodbye!" }, alice.Output.Lines.ToArray());
    }

    [TestMethod]
    public async Task EndOfServerStdinClosesOnlyTheConsole()
    {
        var port = FreePorts.Next();
        await using var server = StartServer(port);
        await server.Output.WaitForLineAsync("Listening on");
        server.Type("stats");
        await server.Output.WaitForLineAsync("connections=0 users=0");
        server.CloseInput();

        await using var alice = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString());
        alice.Type("alice");
        alice.Type("alice-pass");
        await alice.Output.WaitForLineAsync("Welcome to MessengerSuite, alice!");
    }

    [TestMethod]
    public async Task SigtermShutsDownGracefullyTellingClientsAndExitsZero()
    {
        var port = FreePorts.Next();
        await using var server = StartServer(port);
        await server.Output.WaitForLineAsync("Listening on");
        await using var alice = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString());
        alice.Type("alice");
        alice.Type("alice-pass");
        await alice.Output.WaitForLineAsync("Welcome to MessengerSuite, alice!");

        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", server.Id.ToString()]))
        {
            await kill.WaitForExitAsync();
        }
        Assert.AreEqual(0, await server.WaitForExitAsync());
        await alice.Output.WaitForLineAsync("The server is shutting down.");
        Assert.AreEqual(1, await alice.WaitForExitAsync());
    }

    [TestMethod]
    public async Task APipeModeClientWaitingForInputStillExitsWhenItTimesOut()
    {
        var port = FreePorts.Next();
        await using var server = ChildProcess.Start("server.dll", workDirectory, port.ToString(), "60", "1", "--listen", "127.0.0.1");
        await server.Output.WaitForLineAsync("Listening on");
        await using var alice = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString());
        alice.Type("alice");
        alice.Type("alice-pass"); // ...and then nothing: stdin stays open
        await alice.Output.WaitForLineAsync("logged out after 1 second of inactivity");
        Assert.AreEqual(0, await alice.WaitForExitAsync());
    }

    /// <summary>Issue 18 in pipe mode: `--register` (and a typo told about it), a guest, and `version`.</summary>
    [TestMethod]
    public async Task Issue18PipeClientsRegisterWithTheOptionLogInAsGuestsAndShowTheVersion()
    {
        Directory.CreateDirectory(Path.Combine(workDirectory, "config"));
        await File.WriteAllTextAsync(Path.Combine(workDirectory, "config", "server.json"), """{ "Server": { "AllowRegistration": true, "AllowGuests": true } }""");
        var port = FreePorts.Next();
        await using var server = StartServer(port);
        await server.Output.WaitForLineAsync("Listening on");

        await using (var typo = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString()))
        {
            typo.Type("alcie");
            typo.Type("alice-pass");
            await typo.Output.WaitForLineAsync("No account 'alcie'. To create it, run the client with --register.");
            typo.CloseInput();
            Assert.AreEqual(0, await typo.WaitForExitAsync());
        }
        Assert.IsFalse((await File.ReadAllTextAsync(Path.Combine(workDirectory, "credentials.txt"))).Contains("alcie", StringComparison.Ordinal));

        await using var newbie = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString(), "--register");
        newbie.Type("newbie");
        newbie.Type("newbie-pass");
        await newbie.Output.WaitForLineAsync("Welcome to MessengerSuite, newbie! Your account is new: it was created just now.");
        newbie.Type("version");
        await newbie.Output.WaitForLineAsync("client   MessengerSuite ");
        await newbie.Output.WaitForLineAsync("(pinned, checked on every connection)");

        await using var guest = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString());
        guest.Type("guest");
        guest.Type("");
        await guest.Output.WaitForLineAsync("Welcome to MessengerSuite, guest-1! You are a guest");
        guest.Type("message newbie hi from a guest");
        await newbie.Output.WaitForLineAsync("guest-1: hi from a guest");
        guest.CloseInput();
        Assert.AreEqual(0, await guest.WaitForExitAsync());
        newbie.CloseInput();
        Assert.AreEqual(0, await newbie.WaitForExitAsync());
    }

    private ChildProcess StartServer(int port) =>
        ChildProcess.Start("server.dll", workDirectory, port.ToString(), "60", "300", "--listen", "127.0.0.1");
}
