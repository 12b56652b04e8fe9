using System.Diagnostics;
using System.Text.Json;
using Messenger.Bench;

// Load generator for MessengerSuite's own protocol (docs/BENCHMARKS.md). Loopback only, every loop bounded in count
// and time. Usage: bench [W1|W3b|W4|all] [--tls] [--clients N] [--seconds S]
var workload = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
var tls = args.Contains("--tls");
var seconds = IntOption("--seconds", 10);
var clients = IntOption("--clients", 0);

if (workload is "W1" or "all")
{
    await W1Async(clients > 0 ? clients : 200, seconds);
}
if (workload is "W3b" or "all")
{
    await W3bAsync(clients > 0 ? clients : 1000);
}
if (workload is "W4" or "all")
{
    await W4Async(clients > 0 ? clients : 10_000);
}
return 0;

int IntOption(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], out var value) ? value : fallback;
}

async Task<BenchClient[]> LogInAllAsync(ServerProcess server, int count)
{
    var logins = new List<Task<BenchClient>>();
    var result = new List<BenchClient>();
    for (var i = 0; i < count; i++)
    {
        logins.Add(BenchClient.ConnectAsync(server.Port, tls, ServerProcess.UserName(i), $"pw{i}"));
        if (logins.Count == 200)
        {
            result.AddRange(await Task.WhenAll(logins));
            logins.Clear();
        }
    }
    result.AddRange(await Task.WhenAll(logins));
    return [.. result];
}

// W1: every client sends to random others, at most 32 unanswered per sender; 2 s warm-up, then measured.
async Task W1Async(int count, int measuredSeconds)
{
    using var server = await ServerProcess.StartAsync(count, tls);
    var users = await LogInAllAsync(server, count);
    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2 + measuredSeconds));
    var sent = new long[count];
    var senders = users.Select((client, index) => Task.Run(async () =>
    {
        var random = new Random(index);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await client.Window.WaitAsync(stop.Token); // at most `window` unanswered sends
            }
            catch (OperationCanceledException)
            {
                break;
            }
            var to = random.Next(count - 1);
            client.SendMessage(ServerProcess.UserName(to >= index ? to + 1 : to), "hello from the load generator", ++sent[index]);
        }
    })).ToArray();
    await Task.Delay(TimeSpan.FromSeconds(2));
    var delivered0 = users.Sum(u => u.Received);
    var cpu0 = server.CpuTime();
    var clock = Stopwatch.StartNew();
    await Task.Delay(TimeSpan.FromSeconds(measuredSeconds));
    var delivered = users.Sum(u => u.Received) - delivered0;
    var cpu = server.CpuTime() - cpu0;
    var elapsed = clock.Elapsed.TotalSeconds;
    await Task.WhenAll(senders);
    // Let what is in flight land, then compare: every sent message must have been received.
    var deadline = Stopwatch.StartNew();
    while (users.Sum(u => u.Received) < sent.Sum() && deadline.Elapsed < TimeSpan.FromSeconds(10))
    {
        await Task.Delay(50);
    }
    Report("W1", new()
    {
        ["clients"] = count,
        ["delivered_per_s"] = Math.Round(delivered / elapsed),
        ["server_cpu_us_per_msg"] = Math.Round(cpu.TotalMicroseconds / Math.Max(1, delivered), 2),
        ["lost"] = sent.Sum() - users.Sum(u => u.Received),
    });
    await DisposeAllAsync(users);
}

// W3b: one sender broadcasts 200 messages at once to everyone else.
async Task W3bAsync(int receivers)
{
    using var server = await ServerProcess.StartAsync(receivers + 1, tls);
    var users = await LogInAllAsync(server, receivers + 1);
    const int broadcasts = 200;
    long expected = (long)broadcasts * receivers, got = 0;
    var done = new TaskCompletionSource();
    foreach (var user in users.Skip(1))
    {
        user.OnReceived = () =>
        {
            if (Interlocked.Increment(ref got) == expected)
            {
                done.TrySetResult();
            }
        };
    }
    var cpu0 = server.CpuTime();
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < broadcasts; i++)
    {
        users[0].Broadcast($"broadcast {i}");
    }
    await done.Task.WaitAsync(TimeSpan.FromSeconds(120));
    var elapsed = clock.Elapsed.TotalSeconds;
    var cpu = server.CpuTime() - cpu0;
    Report("W3b", new()
    {
        ["receivers"] = receivers,
        ["deliveries_per_s"] = Math.Round(expected / elapsed),
        ["server_cpu_us_per_delivery"] = Math.Round(cpu.TotalMicroseconds / expected, 3),
        ["seconds"] = Math.Round(elapsed, 3),
    });
    await DisposeAllAsync(users);
}

// W4: many clients log in and stay idle: login time and server memory per connection.
async Task W4Async(int count)
{
    using var server = await ServerProcess.StartAsync(count, tls);
    await Task.Delay(500);
    var rss0 = server.RssKiB();
    var clock = Stopwatch.StartNew();
    var users = await LogInAllAsync(server, count);
    var elapsed = clock.Elapsed.TotalSeconds;
    GC.Collect();
    await Task.Delay(2000);
    var rss1 = server.RssKiB();
    Report("W4", new()
    {
        ["clients"] = count,
        ["login_seconds"] = Math.Round(elapsed, 2),
        ["rss_before_kib"] = rss0,
        ["rss_after_kib"] = rss1,
        ["kib_per_connection"] = Math.Round((rss1 - rss0) / (double)count, 2),
    });
    await DisposeAllAsync(users);
}

void Report(string name, Dictionary<string, object> figures)
{
    figures["workload"] = name;
    figures["mode"] = tls ? "tls" : "plaintext";
    Console.WriteLine(JsonSerializer.Serialize(figures, BenchJsonContext.Default.DictionaryStringObject));
}

static async Task DisposeAllAsync(IEnumerable<BenchClient> clients)
{
    foreach (var client in clients)
    {
        await client.DisposeAsync();
    }
}
