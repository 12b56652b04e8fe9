using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>Settings shared by every workload (from the command line).</summary>
/// <param name="WebSocket">Clients connect through the web port's /ws (the same frames over WebSocket) instead of TCP.</param>
/// <param name="WarmupSeconds">W1's and W2's unmeasured start (fresh processes compile their hot paths meanwhile).</param>
public sealed record BenchOptions(string ServerDll, bool Tls, int LoginWindow, double Scale, bool WebSocket = false, int WarmupSeconds = 2,
    bool Compact = false)
{
    /// <summary>
    /// The transport as results name it: plaintext and tls over TCP, ws and wss over WebSocket; "aot-" before it when
    /// the server is the Native AOT binary; "-compact" after it when the users speak compact frames (--compact).
    /// </summary>
    public string Mode => (PublishedApp.IsNative(ServerDll) ? "aot-" : "") + (WebSocket, Tls) switch
    {
        (false, false) => "plaintext",
        (false, true) => "tls",
        (true, false) => "ws",
        (true, true) => "wss",
    } + (Compact ? "-compact" : "");
}

/// <summary>
/// The workloads of docs/BENCHMARKS.md. Each starts a fresh server process, logs its clients in, waits for the
/// server to go quiet (logins fan out presence), measures, checks that nothing was lost, and returns one result.
/// Every phase has a deadline.
/// </summary>
public sealed partial class Workloads(BenchOptions options, IBenchTarget target)
{
    private static readonly TimeSpan LoginDeadline = TimeSpan.FromSeconds(120);

    private Dictionary<string, object> NewResult(string workload) => new()
    {
        ["workload"] = workload,
        ["mode"] = target.Mode,
    };

    /// <summary>Logs users 0..count-1 in to <paramref name="server"/> with at most <see cref="IBenchTarget.LoginWindow"/> logins in flight.</summary>
    private Task<(ILoadClient[] Clients, int Failed)> LogInAsync(IServerUnderTest server, int count, TimeSpan deadline) =>
        LogInAsync(_ => server.ClientPort, count, deadline);

    /// <summary>Logs users 0..count-1 in, user i at port <paramref name="portOf"/>(i) (a cluster's users on their nodes).</summary>
    private async Task<(ILoadClient[] Clients, int Failed)> LogInAsync(Func<int, int> portOf, int count, TimeSpan deadline)
    {
        using var cancel = new CancellationTokenSource(deadline);
        var clients = new ILoadClient?[count];
        var next = -1;
        var failed = 0;
        async Task Worker()
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count && !cancel.IsCancellationRequested)
            {
                try
                {
                    clients[index] = await target.ConnectAsync(portOf(index), index, cancel.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException
                                               or InvalidOperationException or System.Security.Authentication.AuthenticationException)
                {
                    if (Interlocked.Increment(ref failed) == 1)
                    {
                        await Console.Error.WriteLineAsync($"bench: login of {BenchConnection.UserName(index)} failed: {ex.Message}");
                    }
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(target.LoginWindow, count)).Select(_ => Task.Run(Worker)));
        var done = clients.Where(c => c is not null).Select(c => c!).ToArray();
        return (done, count - done.Length);
    }

    /// <summary>Waits (at most <paramref name="limit"/>) until the server uses under 5 % of a core for 300 ms.</summary>
    private static Task SettleAsync(IServerUnderTest server, TimeSpan limit) => SettleAsync([new CpuSource("server", true, server.CpuTime)], limit);

    /// <summary>Waits (at most <paramref name="limit"/>) until the measured processes together use under 5 % of a core for 300 ms.</summary>
    private static async Task SettleAsync(IReadOnlyList<CpuSource> processes, TimeSpan limit)
    {
        TimeSpan Total() => TimeSpan.FromTicks(processes.Sum(p => p.Cpu().Ticks));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var before = Total();
            await Task.Delay(300);
            if ((Total() - before).TotalMilliseconds <= 15)
            {
                return;
            }
        }
    }

    private static async Task DisposeAllAsync(IEnumerable<ILoadClient> clients) =>
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));

    private int Scaled(int count) => Math.Max(2, (int)(count * options.Scale));

    /// <summary>Waits until everything sent was received; returns how many were not (after at most <paramref name="limit"/>).</summary>
    private static async Task<long> DrainAsync(ILoadClient[] clients, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        long missing;
        while ((missing = clients.Sum(c => c.Sent) - clients.Sum(c => c.Received)) > 0 && clock.Elapsed < limit)
        {
            await Task.Delay(50);
        }
        return missing;
    }

    /// <summary>
    /// W3b-broadcast: 1,000 receivers; one sender writes 200 broadcasts (to everyone online) at once; deliveries/s until
    /// the last receipt. (W3 and W3b proper are in a room, like the IRC anchors' channel: Workloads.Rooms.cs.)
    /// </summary>
    public async Task<Dictionary<string, object>> BroadcastFanOutAsync()
    {
        const int broadcasts = 200;
        var receivers = Scaled(1000);
        using var server = await target.StartAsync(receivers + 1);
        var (clients, failed) = await LogInAsync(server, receivers + 1, LoginDeadline);
        var login = clients.Length;
        await SettleAsync(server, TimeSpan.FromSeconds(30));
        var counter = new LastReceipt();
        var sender = clients[^1] as BenchConnection ?? throw new InvalidOperationException("W3b-broadcast needs our protocol (IRC has no broadcast to everyone online)");
        var listening = clients[..^1];
        foreach (var client in listening)
        {
            client.Receiver = counter;
        }
        long expected = (long)broadcasts * listening.Length;
        var received0 = listening.Sum(c => c.Received);
        var cpu = new CpuWindow(server);
        var first = Stopwatch.GetTimestamp();
        sender.Broadcast(broadcasts, first);
        var clock = Stopwatch.StartNew();
        while (listening.Sum(c => c.Received) - received0 < expected && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(5);
        }
        cpu.Stop();
        var got = listening.Sum(c => c.Received) - received0;
        var seconds = (Interlocked.Read(ref counter.Last) - first) / (double)Stopwatch.Frequency;
        var result = NewResult("W3b-broadcast");
        result["receivers"] = listening.Length;
        result["logged_in"] = login;
        result["login_failed"] = failed;
        result["deliveries"] = got;
        result["seconds"] = Math.Round(seconds, 4);
        result["deliveries_per_s"] = Math.Round(got / seconds);
        cpu.AddTo(result, got, "delivery");
        result["lost"] = expected - got;
        await DisposeAllAsync(clients);
        return result;
    }

    private sealed class LastReceipt : IReceiver
    {
        public long Last;

        public void OnIncoming(ILoadClient at, ReadOnlySpan<byte> text, long now)
        {
            long seen;
            while (now > (seen = Interlocked.Read(ref Last)) && Interlocked.CompareExchange(ref Last, now, seen) != seen)
            {
            }
        }
    }

    /// <summary>W4: 10,000 clients log in and stay idle: login time and server memory per connection.</summary>
    public async Task<Dictionary<string, object>> W4Async(TimeSpan deadline)
    {
        var count = Scaled(10_000);
        using var server = await target.StartAsync(count);
        await Task.Delay(1000);
        var rss0 = server.RssKiB();
        var selfRss0 = ProcStat.RssKiB(Environment.ProcessId);
        var cpu = new CpuWindow(server);
        var (clients, failed) = await LogInAsync(server, count, deadline);
        cpu.Stop();
        await SettleAsync(server, TimeSpan.FromSeconds(60));
        await Task.Delay(2000);
        var rss1 = server.RssKiB();
        var result = NewResult("W4");
        result["clients"] = count;
        result["logged_in"] = clients.Length;
        result["login_failed"] = failed;
        result["login_window"] = target.LoginWindow;
        result["login_s"] = Math.Round(cpu.Seconds, 2);
        result["logins_per_s"] = Math.Round(clients.Length / cpu.Seconds);
        result["server_rss_before_kib"] = rss0;
        result["server_rss_after_kib"] = rss1;
        result["server_kib_per_conn"] = Math.Round((rss1 - rss0) / (double)Math.Max(1, clients.Length), 2);
        result["generator_kib_per_conn"] = Math.Round((ProcStat.RssKiB(Environment.ProcessId) - selfRss0) / (double)Math.Max(1, clients.Length), 2);
        cpu.AddTo(result, clients.Length, "login");
        await IdleInspection.RunAsync(server);
        await DisposeAllAsync(clients);
        return result;
    }
}
