using System.Net;
using Messenger.IntegrationTests.Harness;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.WebTests;

/// <summary>The dashboard's and /metrics' outbound queue depth: what waits in the server for clients that do not read.</summary>
[TestClass]
public sealed class QueueDepthTests
{
    [TestMethod]
    public async Task AClientThatStopsReadingShowsAsTheDeepestQueueOnTheDashboardAndInMetrics()
    {
        await using var server = await TestServer.StartAsync(o => o with
        {
            Web = "127.0.0.1:0", AdminUsers = ["alice"], MaxMessagesPerSecond = 100_000,
            OutboundQueueBytes = 64 * 1024 * 1024, MaxUnacknowledgedMessages = 100_000, MaxUnacknowledgedBytes = int.MaxValue,
        });
        // bob logs in and never reads again (a tiny receive buffer: the kernel holds little for him).
        await using var bob = await RawConnection.LogInAsync(server, new LoginRequest("bob", "bob-pass"), receiveBufferBytes: 4096);
        await using var carol = await RawConnection.LogInAsync(server, new LoginRequest("carol", "carol-pass"));
        using var admin = new AdminHttp(WebServerFixture.Address(server));
        Assert.AreEqual(HttpStatusCode.OK, (await admin.LoginAsync("alice", "alice-pass")).StatusCode);
        Assert.AreEqual(0, (await admin.OverviewAsync()).GetProperty("queuedBytes").GetInt64(), "nothing waits before the flood");

        // 10 MB of broadcasts: each answer comes after the fan-out queued it, so when carol has every answer, all of
        // it was queued for bob; at most the kernel's socket buffers (4 MiB here) can have taken some of it away.
        const int Broadcasts = 2500;
        var text = new string('q', ProtocolLimits.MaxTextLength - 10);
        for (var i = 1; i <= Broadcasts; i++)
        {
            await carol.SendAsync(FrameType.Broadcast, (uint)(i + 1), new BroadcastRequest($"{i} {text}"), ProtocolJsonContext.Default.BroadcastRequest);
        }
        for (var answered = 0; answered < Broadcasts;)
        {
            var frame = await carol.ReadFrameAsync() ?? throw new AssertFailedException($"carol was cut after {answered} answers");
            answered += frame.Type == FrameType.BroadcastResult ? 1 : 0;
        }

        var overview = await admin.OverviewAsync();
        var queued = overview.GetProperty("queuedBytes").GetInt64();
        Assert.IsGreaterThan(4L * 1024 * 1024, queued, "what bob does not read waits in his queue");
        Assert.AreEqual("bob", overview.GetProperty("deepestQueueUser").GetString());
        Assert.AreEqual(queued, overview.GetProperty("deepestQueueBytes").GetInt64(), "carol reads everything: all of it is bob's");
        Assert.AreEqual(0, server.Chat.Stats.SlowConsumersDisconnected, "bob is under the bound: queued, not cut");

        var metrics = await admin.Client.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.IsGreaterThan(4L * 1024 * 1024, MetricValue(metrics, "messenger_outbound_queued_bytes"));
        Assert.IsGreaterThan(4L * 1024 * 1024, MetricValue(metrics, "messenger_outbound_deepest_bytes"));
    }

    /// <summary>The value of an unlabelled series in Prometheus text format (the line "name value [timestamp]").</summary>
    private static long MetricValue(string exposition, string name)
    {
        var line = exposition.Split('\n').SingleOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal) || l.StartsWith(name + "{", StringComparison.Ordinal))
            ?? throw new AssertFailedException($"{name} is not exported:\n{exposition}");
        return (long)double.Parse(line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..].Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}
