using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>Settings shared by every workload (from the command line).</summary>
/// <param name="WebSocket">Clients connect through the web port's /ws (the same frames over WebSocket) instead of TCP.</param>
public sealed record BenchOptions(string ServerDll, bool Tls, int LoginWindow, double Scale, bool WebSocket = false)
{
    /// <summary>The transport as results name it: plaintext and tls over TCP, ws and wss over WebSocket.</summary>
    public string Mode => (WebSocket, Tls) switch
    {
        (false, false) => "plaintext",
        (false, true) => "tls",
        (true, false) => "ws",
        (true, true) => "wss",
    };
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

    /// <summary>Logs users 0..count-1 in with at most <see cref="IBenchTarget.LoginWindow"/> logins in flight.</summary>
    private async Task<(ILoadClient[] Clients, int Failed)> LogInAsync(IServerUnderTest server, int count, TimeSpan deadline)
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
                    clients[index] = await target.ConnectAsync(server.ClientPort, index, cancel.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or System.Net.Sockets.SocketException
                                               or InvalidOperationException or System.Security.Authentication.AuthenticationException)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Min(target.LoginWindow, count)).Select(_ => Task.Run(Worker)));
        var done = clients.Where(c => c is not null).Select(c => c!).ToArray();
        return (done, count - done.Length);
    }

    /// <summary>Waits (at most <paramref name="limit"/>) until the server uses under 5 % of a core for 300 ms.</summary>
    private static async Task SettleAsync(IServerUnderTest server, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var before = server.CpuTime();
            await Task.Delay(300);
            if ((server.CpuTime() - before).TotalMilliseconds <= 15)
            {
                return;
            }
        }
    }

    private static async Task DisposeAllAsync(IEnumerable<ILoadClient> clients) =>
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));

    private int Scaled(int count) => Math.Max(2, (int)(count * options.Scale));

    /// <summary>W1: each client sends to random others with at most 32 in flight (sent, not yet received); 2 s + 10 s.</summary>
    public async Task<Dictionary<string, object>> W1Async()
    {
        const int window = 32, refill = 8;
        var count = Scaled(200);
        using var server = await target.StartAsync(count);
        var (clients, failed) = await LogInAsync(server, count, LoginDeadline);
        await SettleAsync(server, TimeSpan.FromSeconds(10));
        var receiver = new CreditReturn(clients, refill);
        foreach (var client in clients)
        {
            client.Receiver = receiver;
        }
        foreach (var client in clients)
        {
            client.SendToRandom(window, clients.Length, 0);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        var received0 = clients.Sum(c => c.Received);
        var cpu = new CpuWindow(server);
        await Task.Delay(TimeSpan.FromSeconds(10));
        var delivered = clients.Sum(c => c.Received) - received0;
        cpu.Stop();
        receiver.Stopped = true;
        var drained = await DrainAsync(clients, TimeSpan.FromSeconds(10));
        var result = NewResult("W1");
        result["clients"] = clients.Length;
        result["login_failed"] = failed;
        result["delivered_per_s"] = Math.Round(delivered / cpu.Seconds);
        cpu.AddTo(result, delivered, "msg");
        result["sent"] = clients.Sum(c => c.Sent);
        result["lost"] = drained;
        await DisposeAllAsync(clients);
        return result;
    }

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

    /// <summary>W1's flow control: a receipt returns one credit to its sender, which sends again once 8 are back.</summary>
    private sealed class CreditReturn(ILoadClient[] clients, int refill) : IReceiver
    {
        private readonly int[] credits = new int[clients.Length];

        public volatile bool Stopped;

        public void OnIncoming(ILoadClient at, ReadOnlySpan<byte> text, long now)
        {
            if (!BenchConnection.TryParseText(text, out var sender, out _) || (uint)sender >= (uint)clients.Length)
            {
                return;
            }
            if (Interlocked.Increment(ref credits[sender]) >= refill && !Stopped)
            {
                var returned = Interlocked.Exchange(ref credits[sender], 0);
                if (returned > 0)
                {
                    clients[sender].SendToRandom(returned, clients.Length, 0);
                }
            }
        }
    }

    /// <summary>W2: 20,000 msgs/s in total, paced round-robin over the senders; latency from the scheduled send time.</summary>
    public async Task<Dictionary<string, object>> W2Async(int rate)
    {
        var count = Scaled(200);
        using var server = await target.StartAsync(count);
        var (clients, failed) = await LogInAsync(server, count, LoginDeadline);
        await SettleAsync(server, TimeSpan.FromSeconds(10));
        const int warmSeconds = 2, measuredSeconds = 10;
        var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        var measureFrom = start + warmSeconds * Stopwatch.Frequency;
        var measureTo = measureFrom + measuredSeconds * Stopwatch.Frequency;
        var latencies = new Latencies(measuredSeconds * rate + rate, measureFrom, measureTo);
        foreach (var client in clients)
        {
            client.Receiver = latencies;
        }
        CpuWindow? cpu = null;
        long received0 = 0, sentInWindow = 0;
        var pacer = new Thread(() =>
        {
            long issued = 0, total = (long)(warmSeconds + measuredSeconds) * rate;
            var hardStop = measureTo + 5 * Stopwatch.Frequency;
            while (issued < total)
            {
                var now = Stopwatch.GetTimestamp();
                if (now > hardStop)
                {
                    break;
                }
                if (cpu is null && now >= measureFrom)
                {
                    received0 = clients.Sum(c => c.Received);
                    cpu = new CpuWindow(server);
                }
                var due = Math.Min(total, (now - start) * rate / Stopwatch.Frequency);
                for (; issued < due; issued++)
                {
                    var scheduled = start + issued * Stopwatch.Frequency / rate;
                    clients[(int)(issued % clients.Length)].SendToRandom(1, clients.Length, scheduled);
                    if (scheduled >= measureFrom)
                    {
                        sentInWindow++;
                    }
                }
                Thread.Sleep(1);
            }
        }) { IsBackground = true, Name = "W2 pacer" };
        pacer.Start();
        await Task.Run(() => pacer.Join(TimeSpan.FromSeconds(warmSeconds + measuredSeconds + 10)));
        var delivered = clients.Sum(c => c.Received) - received0;
        cpu ??= new CpuWindow(server);
        cpu.Stop();
        var lost = await DrainAsync(clients, TimeSpan.FromSeconds(10));
        var result = NewResult("W2");
        result["clients"] = clients.Length;
        result["login_failed"] = failed;
        result["offered_per_s"] = rate;
        result["delivered_per_s"] = Math.Round(delivered / cpu.Seconds);
        foreach (var (name, q) in new[] { ("p50", 0.50), ("p99", 0.99), ("p999", 0.999) })
        {
            result[$"lat_{name}_ms"] = Math.Round(latencies.Percentile(q), 3);
        }
        result["lat_max_ms"] = Math.Round(latencies.Percentile(1), 3);
        result["lat_samples"] = latencies.Count;
        result["sent_in_window"] = sentInWindow;
        cpu.AddTo(result, delivered, "msg");
        result["lost"] = lost;
        await DisposeAllAsync(clients);
        return result;
    }

    /// <summary>Receipt latency (from the scheduled send time in the text) of messages scheduled inside the window.</summary>
    private sealed class Latencies(int capacity, long from, long to) : IReceiver
    {
        private readonly long[] samples = new long[capacity];
        private int count;

        public int Count => Math.Min(count, samples.Length);

        public void OnIncoming(ILoadClient at, ReadOnlySpan<byte> text, long now)
        {
            if (BenchConnection.TryParseText(text, out _, out var scheduled) && scheduled >= from && scheduled < to)
            {
                var slot = Interlocked.Increment(ref count) - 1;
                if (slot < samples.Length)
                {
                    samples[slot] = now - scheduled;
                }
            }
        }

        /// <summary>The q-quantile in milliseconds.</summary>
        public double Percentile(double q)
        {
            var n = Count;
            if (n == 0)
            {
                return double.NaN;
            }
            var sorted = samples.AsSpan(0, n).ToArray();
            Array.Sort(sorted);
            var at = Math.Min(n - 1, (int)Math.Ceiling(q * n) - 1);
            return sorted[Math.Max(0, at)] * 1000.0 / Stopwatch.Frequency;
        }
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
        await DisposeAllAsync(clients);
        return result;
    }
}
