using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Rooms;

/// <summary>Separate processes: a room message answered accepted survives `kill -9` of the server.</summary>
[TestClass]
public sealed class RoomKillTests : IDisposable
{
    private readonly string workDirectory = Path.Combine(Path.GetTempPath(), "messenger-rooms-kill-" + Guid.NewGuid().ToString("N"));

    public RoomKillTests()
    {
        Directory.CreateDirectory(workDirectory);
        File.WriteAllLines(Path.Combine(workDirectory, "credentials.txt"), TestDefaults.Accounts.Select(a => $"{a.Key} {a.Value}"));
    }

    public void Dispose()
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
    public async Task AcceptedRoomMessagesSurviveKillDashNineAndAnOfflineMemberGetsThemOnceWithHistoryIntact()
    {
        var port = FreePorts.Next();
        var server = StartServer(port);
        await server.Output.WaitForLineAsync($"Listening on 127.0.0.1:{port}");
        await using (var bob = StartClient(port, "bob"))
        {
            bob.Type("join #team");
            await bob.Output.WaitForLineAsync("You created #team");
            bob.Type("logout");
            await bob.Output.WaitForLineAsync("Goodbye!");
        }
        await using (var alice = StartClient(port, "alice"))
        {
            alice.Type("join #team");
            await alice.Output.WaitForLineAsync("You joined #team.");
            foreach (var text in new[] { "one", "two", "three" })
            {
                alice.Type($"message #team {text}");
                await alice.Output.WaitForLineAsync($"#team alice: {text}"); // back from the room: committed
            }
            await server.KillAsync();
            await alice.Output.WaitForLineAsync("Connection to the server lost");
        }
        await server.DisposeAsync();

        await using var restarted = StartServer(port);
        await restarted.Output.WaitForLineAsync($"Listening on 127.0.0.1:{port}");
        await using var bobAgain = StartClient(port, "bob");
        await bobAgain.Output.WaitForLineAsync("#team alice: three");
        bobAgain.Type("history #team");
        await bobAgain.Output.WaitForLineAsync("] alice: three");
        bobAgain.CloseInput();
        Assert.AreEqual(0, await bobAgain.WaitForExitAsync());
        CollectionAssert.AreEqual(new[] { "one", "two", "three" },
            bobAgain.Output.Messages.Where(l => l.StartsWith("#team alice: ", StringComparison.Ordinal)).Select(l => l["#team alice: ".Length..]).ToArray());
    }

    private ChildProcess StartServer(int port) =>
        ChildProcess.Start("server.dll", workDirectory, port.ToString(System.Globalization.CultureInfo.InvariantCulture), "60", "300", "--listen", "127.0.0.1");

    private ChildProcess StartClient(int port, string user)
    {
        var client = ChildProcess.Start("client.dll", workDirectory, "127.0.0.1", port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        client.Type(user);
        client.Type(TestDefaults.Accounts[user]);
        return client;
    }
}
