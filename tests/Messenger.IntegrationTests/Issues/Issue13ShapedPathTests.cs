using System.Diagnostics;
using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Server.Hosting;

namespace Messenger.IntegrationTests.Issues;

/// <summary>
/// Issue 13, item 6: delivery proven over paths that are slow, not only broken. The <see cref="FaultProxy"/> stalls,
/// throttles or delays one client's path to a real server; the tests wait for what arrives, never sleep.
/// </summary>
[TestClass]
public sealed class Issue13ShapedPathTests
{
    /// <summary>Room for a number in front: a whole message is just under the text limit.</summary>
    private static readonly string LongText = new('<', ProtocolLimits.MaxTextLength - 10);

    private static ServerOptions Fast(ServerOptions options) => options with { MaxMessagesPerSecond = 100_000 };

    [TestMethod]
    public async Task AClientWhosePathStallsIsCutAsASlowConsumerAndGetsEveryMessageOnceInOrderWhenThePathRecovers()
    {
        // The byte bounds stay at their defaults (4 MiB queued, 4 MiB unacknowledged): the backlog replay sizes its pages
        // by them, so the client can take its backlog back through the same path.
        await using var server = await TestServer.StartAsync(o => Fast(o) with { MaxUnacknowledgedMessages = 100_000, MaxStoredMessagesPerRecipient = 100_000 });
        await using var proxy = FaultProxy.Start(server.Port, serverReceiveBufferBytes: 4096);
        await using var bob = await TestClient.LoginAsync(server, "bob", o => o with { Port = proxy.Port });
        await using var alice = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass"));
        var toBob = proxy.Path(ProxyDirection.ServerToClient);
        toBob.Stall(); // bob's client is fine; the path to it stops carrying anything

        const int Sent = 1500; // 6 MB of text: more than the kernel's buffers and either of bob's 4 MiB bounds hold
        var answers = alice.ReadSendResultsAsync(Sent);
        for (var i = 1; i <= Sent; i++)
        {
            await alice.SendAsync(FrameType.SendMessage, (uint)(i + 1), new SendMessageRequest("bob", $"{i} {LongText}", i), ProtocolJsonContext.Default.SendMessageRequest);
        }
        var outcomes = await answers; // the last ones are answered only once bob was cut

        Assert.AreEqual(1, server.Chat.Stats.SlowConsumersDisconnected, "bob was cut as a slow consumer");
        Assert.AreEqual(Sent, outcomes.Count(o => o == DeliveryOutcome.Stored), "nothing reached bob, so every message is stored");
        Assert.AreEqual(Sent, await server.Store.CountOfflineAsync("bob"));

        toBob.Release();
        await bob.ExpectAsync("Reconnected.");
        await bob.ExpectAsync($"alice: {Sent} {LongText}");
        await bob.BarrierAsync();
        var shown = bob.Ui.Messages.Where(l => l.StartsWith("alice: ", StringComparison.Ordinal)).ToList();
        var numbers = shown.Select(l => l["alice: ".Length..l.IndexOf(' ', "alice: ".Length)]).ToList();
        CollectionAssert.AreEqual(Enumerable.Range(1, Sent).Select(i => $"alice: {i} {LongText}").ToList(), shown,
            $"every message, once, in order; shown {shown.Count}, twice: {string.Join(",", numbers.GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))}, "
            + $"missing: {string.Join(",", Enumerable.Range(1, Sent).Select(i => i.ToString()).Except(numbers))}");
    }

    [TestMethod]
    public async Task AThrottledPathDeliversEverythingInOrderExactlyOnceAtNoMoreThanItsRate()
    {
        await using var server = await TestServer.StartAsync(Fast);
        await using var proxy = FaultProxy.Start(server.Port);
        await using var bob = await TestClient.LoginAsync(server, "bob", o => o with { Port = proxy.Port });
        await using var alice = await RawConnection.LogInAsync(server, new LoginRequest("alice", "alice-pass"));
        const long Rate = 200_000; // bytes a second: the 200 KB below take about a second
        var toBob = proxy.Path(ProxyDirection.ServerToClient);
        toBob.BytesPerSecond = Rate;
        var before = toBob.Forwarded;
        var clock = Stopwatch.StartNew();

        const int Sent = 200;
        var text = new string('t', 1000);
        var answers = alice.ReadSendResultsAsync(Sent);
        for (var i = 1; i <= Sent; i++)
        {
            await alice.SendAsync(FrameType.SendMessage, (uint)(i + 1), new SendMessageRequest("bob", $"{i} {text}", i), ProtocolJsonContext.Default.SendMessageRequest);
        }
        await bob.ExpectAsync($"alice: {Sent} {text}");
        var elapsed = clock.Elapsed;
        var forwarded = toBob.Forwarded - before;
        var outcomes = await answers;

        CollectionAssert.AreEqual(Enumerable.Range(1, Sent).Select(i => $"alice: {i} {text}").ToList(),
            bob.Ui.Messages.Where(l => l.StartsWith("alice: ", StringComparison.Ordinal)).ToList(), "every message, once, in order");
        Assert.AreEqual(Sent, outcomes.Count(o => o == DeliveryOutcome.Delivered), "bob acknowledged each one through the slow path");
        Assert.IsGreaterThanOrEqualTo(Sent * text.Length, forwarded, "the texts went through the proxy");
        // A lower bound only (a busy machine can only make it slower): the rate held, less one paced piece of slack.
        Assert.IsGreaterThanOrEqualTo((forwarded - Rate / 10) / (double)Rate, elapsed.TotalSeconds, $"{forwarded} bytes in {elapsed}");
        Assert.AreEqual(0, server.Chat.Stats.SlowConsumersDisconnected, "slow but reading is not a slow consumer");
    }

    [TestMethod]
    public async Task ADelayedPathHoldsEachDirectionForItsLatencyAndAReconnectCrossesItToo()
    {
        await using var server = await TestServer.StartAsync();
        await using var proxy = FaultProxy.Start(server.Port);
        var latency = TimeSpan.FromMilliseconds(50);
        proxy.DelayBothWays(latency);
        await using var bob = await TestClient.LoginAsync(server, "bob", o => o with { Port = proxy.Port });

        // Lower bounds only (a busy machine can only make a round trip slower): a request and its answer each wait.
        var clock = Stopwatch.StartNew();
        await bob.BarrierAsync();
        Assert.IsGreaterThanOrEqualTo(2 * latency.TotalMilliseconds, clock.Elapsed.TotalMilliseconds, "a round trip crosses the latency each way");

        proxy.CutAll();
        await bob.ExpectAsync("Reconnected.");
        clock.Restart();
        await bob.BarrierAsync();
        Assert.IsGreaterThanOrEqualTo(2 * latency.TotalMilliseconds, clock.Elapsed.TotalMilliseconds, "the new connection is as slow");
        Assert.AreEqual(2, proxy.Connections);
    }
}
