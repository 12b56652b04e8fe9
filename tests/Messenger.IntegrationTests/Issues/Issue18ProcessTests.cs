using System.Net;
using System.Net.Sockets;
using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Issues;

/// <summary>Issue 18 in the real executables, pipe mode: `client --register`, a guest, and `version`.</summary>
[TestClass]
public sealed class Issue18ProcessTests
{
    private string workDirectory = "";

    [TestInitialize]
    public void CreateWorkDirectory()
    {
        workDirectory = Path.Combine(Path.GetTempPath(), "messenger-i18-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(workDirectory, "config"));
        File.WriteAllLines(Path.Combine(workDirectory, "credentials.txt"), TestDefaults.Accounts.Select(a => $"{a.Key} {a.Value}"));
        File.WriteAllText(Path.Combine(workDirectory, "config", "server.json"), """{ "Server": { "AllowRegistration": true, "AllowGuests": true } }""");
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
    public async Task PipeClientsRegisterWithTheOptionLogInAsGuestsAndShowTheVersion()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var server = ChildProcess.Start("server.dll", workDirectory, port.ToString(), "60", "300", "--listen", "127.0.0.1");
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
}
