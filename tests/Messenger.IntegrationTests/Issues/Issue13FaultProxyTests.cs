using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Issues;

/// <summary>
/// Issue 13, item 6: reconnects proven against a broken network path (a proxy that resets every connection), not
/// only against a server that closes the socket itself. The server and both clients keep running throughout.
/// </summary>
[TestClass]
public sealed class Issue13FaultProxyTests
{
    [TestMethod]
    [DataRow(0, DisplayName = "a fast path")]
    [DataRow(50, DisplayName = "a path with 50 ms of latency each way (the reconnect crosses it too)")]
    public async Task MessagesSentWhileTheRecipientsPathIsCutArriveOnceEachInOrderAndNobodySeesALogout(int latencyMilliseconds)
    {
        await using var server = await TestServer.StartAsync();
        await using var proxy = FaultProxy.Start(server.Port);
        proxy.DelayBothWays(TimeSpan.FromMilliseconds(latencyMilliseconds));
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob", o => o with { Port = proxy.Port });
        await alice.ExpectAsync("bob logged in");
        for (var i = 1; i <= 3; i++)
        {
            alice.Type($"message bob m{i}");
        }
        await bob.ExpectAsync("alice: m3");

        proxy.CutAll();
        for (var i = 4; i <= 6; i++)
        {
            alice.Type($"message bob m{i}");
        }
        await bob.ExpectAsync("Reconnected.");
        await bob.ExpectAsync("alice: m6");
        await bob.BarrierAsync();
        await alice.BarrierAsync();

        var shown = bob.Ui.Messages.Where(l => l.StartsWith("alice: m", StringComparison.Ordinal)).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(1, 6).Select(i => $"alice: m{i}").ToList(), shown, "each once, in order, across the cut");
        Assert.IsFalse(alice.Ui.Lines.Contains("bob logged out"), "bob's session resumed: to the others he never left");
        Assert.AreEqual(1, proxy.Cuts);
    }

    [TestMethod]
    public async Task ASenderWhosePathIsCutGetsEveryMessageThroughOnceAfterItsReconnect()
    {
        await using var server = await TestServer.StartAsync();
        await using var proxy = FaultProxy.Start(server.Port);
        await using var alice = await TestClient.LoginAsync(server, "alice", o => o with { Port = proxy.Port });
        await using var bob = await TestClient.LoginAsync(server, "bob");

        alice.Type("message bob before the cut");
        await bob.ExpectAsync("alice: before the cut");
        proxy.CutAll();
        alice.Type("message bob typed while cut off");
        await alice.ExpectAsync("Reconnected.");
        await bob.ExpectAsync("alice: typed while cut off");
        await bob.BarrierAsync();

        Assert.AreEqual(1, bob.Ui.Messages.Count(l => l == "alice: typed while cut off"), "sent again after the reconnect, shown once");
    }

    [TestMethod]
    public async Task AClientWhosePathSilentlyStopsCarryingPacketsNoticesByItsPingAndResumes()
    {
        await using var server = await TestServer.StartAsync();
        await using var proxy = FaultProxy.Start(server.Port);
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob", o => o with
        {
            Port = proxy.Port, KeepAliveInterval = TimeSpan.FromMilliseconds(200), KeepAliveTimeout = TimeSpan.FromMilliseconds(500),
        });

        proxy.BlackholeAll(); // no reset, no error: bob's old link just goes quiet
        alice.Type("message bob sent into the silence");

        await bob.ExpectAsync("Connection to the server lost (the server did not answer a ping for 0.5 s); reconnecting...");
        await bob.ExpectAsync("alice: sent into the silence");
        await bob.BarrierAsync();
        Assert.AreEqual(1, bob.Ui.Messages.Count(l => l == "alice: sent into the silence"), "redelivered once on the new link");
        Assert.IsFalse(alice.Ui.Lines.Contains("bob logged out"), "bob resumed his session");
    }
}
