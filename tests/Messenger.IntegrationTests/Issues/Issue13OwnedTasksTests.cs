using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Issues;

/// <summary>
/// Issue 13, item 5: the client's event pump ran as a task nobody awaited, so if it died the client went on reading
/// commands while showing and acknowledging nothing. Now its failure is reported and ends the client with exit 1.
/// </summary>
[TestClass]
public sealed class Issue13OwnedTasksTests
{
    [TestMethod]
    public async Task ADeadEventPumpEndsTheClientWithAMessageAndExitCodeOne()
    {
        await using var server = await TestServer.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Ui.BreaksOn = line => line.Contains("poison", StringComparison.Ordinal);

        bob.Type("message alice poison");

        await alice.ExpectAsync("Internal error while showing events: InvalidOperationException: the screen broke");
        Assert.AreEqual(1, await alice.ExitCodeAsync());
    }
}
