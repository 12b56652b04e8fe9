using System.Text.Json;
using Messenger.Bench;

// Load generator for MessengerSuite's own protocol (docs/BENCHMARKS.md). Loopback only; every loop is bounded in
// count and time. Prints one JSON line per workload and run.
//   bench --workload SLOW                 (issue 12's slow-consumer attack: server RSS before, peak, after the cut)
//   bench --workload W1|W2|W3|W3b|W3b-broadcast|W4|S1|all [--tls|--plaintext|--ws|--wss] [--runs 3] [--server path/server.dll|path/native-server]
//         [--login-window 200] [--rate 20000] [--scale 1.0] [--w4-deadline 120]
//         [--client path/client.dll|path/client (native)] [--holders 4] [--s1-size 1G|64M|bytes] [--warmup 2 (W1, W2: seconds before measuring)]
//   bench --workload W1|W2 --compact ...   (direct messages as compact frames, docs/PROTOCOL.md §4.2)
//   bench --workload W1|W2 --deployment cluster [--targets local]   (3 nodes on PostgreSQL and Redis: docs/BENCHMARKS.md "Cluster")
//   bench --workload F1 [--rate 2000]    (a node of 3 killed under load: failover time, lost and shown-twice counts)
//   bench --irc ngircd|inspircd --workload W1|W2|W3|W3b|W4 [--login-window N]
//         (the same workloads against an IRC daemon: NICK/USER, PRIVMSG to a nick or to #bench; config from bench/irc)
//   bench --summarize results.jsonl      (median [min, max] table of a results file)
if (Option("--summarize") is { } file)
{
    Summary.Print(file);
    return 0;
}
var workload = Option("--workload") ?? "all";
// --ws and --wss: the clients speak the same frames through the web port's WebSocket (/ws), plain or under TLS.
var webSocket = args.Contains("--ws") || args.Contains("--wss");
var tls = args.Contains("--tls") || args.Contains("--wss");
var runs = int.Parse(Option("--runs") ?? "1");
var serverDll = Path.GetFullPath(Option("--server") ?? Path.Combine(AppContext.BaseDirectory, "server.dll"));
var options = new BenchOptions(serverDll, tls, int.Parse(Option("--login-window") ?? "200"), double.Parse(Option("--scale") ?? "1",
    System.Globalization.CultureInfo.InvariantCulture), webSocket, int.Parse(Option("--warmup") ?? "2"), args.Contains("--compact"));
// --compact: the simulated users send, acknowledge and receive direct messages as compact frames (docs/PROTOCOL.md §4.2).
BenchConnection.UseCompactFrames = options.Compact;
var rate = int.Parse(Option("--rate") ?? "20000");
var cluster = Option("--deployment") == "cluster";
var local = Option("--targets") == "local";
var w4Deadline = TimeSpan.FromSeconds(int.Parse(Option("--w4-deadline") ?? "120"));
var clientDll = Path.GetFullPath(Option("--client") ?? Path.Combine(AppContext.BaseDirectory, "client.dll"));
var holders = int.Parse(Option("--holders") ?? "4");
var s1Size = ParseSize(Option("--s1-size") ?? "1G");
var irc = Option("--irc");
string[] selected = workload == "all" ? irc is null ? ["W1", "W2", "W3", "W3b", "W4", "S1"] : ["W1", "W2", "W3", "W3b", "W4"] : workload.Split(',');
if (selected.Any(w => w is not ("W1" or "W2" or "W3" or "W3b" or "W3b-broadcast" or "W4" or "S1" or "SLOW" or "F1")) || runs is < 1 or > 20
    || (irc is null && !File.Exists(serverDll))
    || (local && !cluster)
    || (irc is not null && (irc is not ("ngircd" or "inspircd") || tls || webSocket || cluster || options.Compact
                            || selected.Any(w => w is "W3b-broadcast" or "S1" or "SLOW" or "F1")))
    || (selected.Contains("S1") && (!File.Exists(clientDll) || holders is < 1 or > 32 || s1Size is < 1 or > 16L << 30)))
{
    await Console.Error.WriteLineAsync("usage: bench --workload W1|W2|W3|W3b|W3b-broadcast|W4|S1|F1|all [--tls|--plaintext|--ws|--wss] [--compact] [--runs N]" +
        " [--server server.dll] [--client client.dll] [--holders 1..32] [--s1-size 1G|64M|bytes] [--warmup S]" +
        " [--deployment single|cluster [--targets all|local]]\n" +
        "       bench --irc ngircd|inspircd --workload W1|W2|W3|W3b|W4|all [--runs N] [--login-window N]   (plaintext, single server only)");
    return 2;
}

// Whatever happens, the process ends: a watchdog exits it well after the longest possible run.
var budget = TimeSpan.FromMinutes(4) * runs * selected.Length;
_ = Task.Delay(budget).ContinueWith(_ =>
{
    Console.Error.WriteLine($"bench: watchdog: over {budget.TotalMinutes} min, exiting");
    Environment.Exit(3);
}, TaskScheduler.Default);

IBenchTarget target = irc is null ? new MessengerTarget(options)
    : new IrcTarget(irc, Path.Combine(AppContext.BaseDirectory, "irc"), Option("--login-window") is { } window ? int.Parse(window) : null);
// W1 and W2 run on the target's one server, or (ours) on a cluster of 3 nodes.
StartDeployment deployment = cluster ? users => ClusterDeployment.StartAsync(options, users) : users => SingleDeployment.StartAsync(target, users);
var workloads = new Workloads(options, target);
for (var run = 1; run <= runs; run++)
{
    foreach (var name in selected)
    {
        Dictionary<string, object> result;
        try
        {
            result = name switch
            {
                "W1" => await workloads.W1Async(deployment, local),
                "W2" => await workloads.W2Async(rate, deployment, local),
                "F1" => await workloads.FailoverAsync(rate),
                "W3" => await workloads.W3Async(),
                "W3b" => await workloads.W3bAsync(),
                "W3b-broadcast" => await workloads.BroadcastFanOutAsync(),
                "S1" => await new SwarmWorkload(options, clientDll, holders, s1Size).RunAsync(),
                "SLOW" => await SlowConsumerProbe.RunAsync(serverDll),
                _ => await workloads.W4Async(w4Deadline),
            };
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or TimeoutException or Npgsql.NpgsqlException)
        {
            result = new() { ["workload"] = name, ["mode"] = target.Mode, ["error"] = ex.Message };
        }
        result["run"] = run;
        Console.WriteLine(JsonSerializer.Serialize(result, BenchJsonContext.Default.DictionaryStringObject));
    }
}
return 0;

static long ParseSize(string text) => text[^1] switch
{
    'G' or 'g' => long.Parse(text[..^1]) << 30,
    'M' or 'm' => long.Parse(text[..^1]) << 20,
    _ => long.Parse(text),
};

string? Option(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}
