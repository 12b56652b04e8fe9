using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>
/// W3 and W3b, as the IRC anchors define them for a channel (../shared/anchors/irc, BroadcastWorkload): 1,000 receivers
/// join one room, then one more user joins and sends 200 messages of 64 bytes to it, paced at 50 a second (W3: delivery
/// latency) or all at once (W3b: deliveries per second from the first send to the last receipt). Our room answers a
/// message only once it is in the room's log on disk, and every receiver acknowledges what it got, which the IRC
/// daemons do neither of. Measured after one unmeasured round (see below).
/// </summary>
public sealed partial class Workloads
{
    private const int RoomMessages = 200;

    /// <summary>Rounds of <see cref="RoomMessages"/> sent before the measured one (see the comment where they run).</summary>
    private const int WarmRounds = 3;

    public Task<Dictionary<string, object>> W3Async() => RoomFanOutAsync("W3", rate: 50);

    public Task<Dictionary<string, object>> W3bAsync() => RoomFanOutAsync("W3b", rate: 0);

    private async Task<Dictionary<string, object>> RoomFanOutAsync(string name, int rate)
    {
        var receivers = Scaled(1000);
        using var server = await target.StartAsync(receivers + 1);
        var (clients, failed) = await LogInAsync(server, receivers + 1, LoginDeadline);
        var joinClock = Stopwatch.StartNew();
        foreach (var client in clients)
        {
            client.JoinRoom();
        }
        while (clients.Any(c => c.RoomAnswers + c.RoomRefusals == 0) && joinClock.Elapsed < LoginDeadline)
        {
            await Task.Delay(10);
        }
        var joinSeconds = joinClock.Elapsed.TotalSeconds;
        var joinRefused = clients.Sum(c => c.RoomRefusals);
        await SettleAsync(server, TimeSpan.FromSeconds(60)); // 1,000 joins tell every member: ~500,000 notices to drain.

        var sender = clients[^1];
        var listening = clients[..^1];
        // Unmeasured rounds first: a fresh server process compiles the room path while serving it, and the daemons it
        // is compared with are native code. One round is not enough for .NET's tiered JIT: the first round compiles
        // quickly (tier 0), and the optimized compile (tier 1) starts only once a method has been called 30 times
        // after a 100 ms pause, i.e. in the next round; with one warm round, 73 % of the server's samples in the
        // measured 0.2 s were that background compile (perf, 2026-12-04). The settle after each round waits for it.
        for (var round = 0; round < WarmRounds; round++)
        {
            var warm0 = listening.Sum(c => c.Received);
            sender.SendToRoom(RoomMessages, Stopwatch.GetTimestamp());
            var warmClock = Stopwatch.StartNew();
            while (listening.Sum(c => c.Received) - warm0 < (long)RoomMessages * listening.Length && warmClock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(10);
            }
            await SettleAsync(server, TimeSpan.FromSeconds(30));
        }

        var firstSend = Stopwatch.GetTimestamp();
        var latencies = new Latencies(RoomMessages * listening.Length, 0, long.MaxValue);
        var last = new LastReceipt();
        var both = new BothReceivers(latencies, last);
        foreach (var client in listening)
        {
            client.Receiver = both;
        }
        var received0 = listening.Sum(c => c.Received);
        var answers0 = sender.RoomAnswers;
        var cpu = new CpuWindow(server);
        if (rate == 0)
        {
            sender.SendToRoom(RoomMessages, firstSend);
        }
        else
        {
            await Task.Run(() => Pace(sender, rate, firstSend));
        }
        long expected = (long)RoomMessages * listening.Length;
        var clock = Stopwatch.StartNew();
        while (listening.Sum(c => c.Received) - received0 < expected && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(5);
        }
        cpu.Stop();
        var got = listening.Sum(c => c.Received) - received0;
        var seconds = (Interlocked.Read(ref last.Last) - firstSend) / (double)Stopwatch.Frequency;
        var result = NewResult(name);
        result["receivers"] = listening.Length;
        result["login_failed"] = failed;
        result["join_s"] = Math.Round(joinSeconds, 2);
        result["join_refused"] = joinRefused;
        result["messages"] = RoomMessages;
        result["rate"] = rate;
        result["accepted"] = sender.RoomAnswers - answers0;
        result["refused"] = sender.RoomRefusals;
        result["deliveries"] = got;
        result["seconds"] = Math.Round(seconds, 4);
        result["deliveries_per_s"] = Math.Round(got / seconds);
        foreach (var (label, q) in new[] { ("p50", 0.50), ("p99", 0.99), ("p999", 0.999) })
        {
            result[$"lat_{label}_ms"] = Math.Round(latencies.Percentile(q), 3);
        }
        cpu.AddTo(result, got, "delivery");
        result["lost"] = expected - got;
        await DisposeAllAsync(clients);
        return result;
    }

    /// <summary>One message every 1/rate s, each stamped with its scheduled time (latency counts from then).</summary>
    private static void Pace(ILoadClient sender, int rate, long start)
    {
        for (var i = 0; i < RoomMessages; i++)
        {
            var scheduled = start + i * Stopwatch.Frequency / rate;
            while (Stopwatch.GetTimestamp() < scheduled)
            {
                Thread.Sleep(1);
            }
            sender.SendToRoom(1, scheduled);
        }
    }

    private sealed class BothReceivers(IReceiver first, IReceiver second) : IReceiver
    {
        public void OnIncoming(ILoadClient at, ReadOnlySpan<byte> text, long now)
        {
            first.OnIncoming(at, text, now);
            second.OnIncoming(at, text, now);
        }
    }
}
