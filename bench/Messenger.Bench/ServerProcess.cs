using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>
/// The server under test as its own process, on 127.0.0.1 with its own data folder and N accounts, its abuse limits
/// raised for load from one host. Reads its CPU time and memory from /proc.
/// </summary>
public sealed class ServerProcess : IServerUnderTest
{
    private readonly Process process;
    private readonly string folder;

    private ServerProcess(Process process, string folder, int port, int webPort)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
        WebPort = webPort;
    }

    /// <summary>The protocol's TCP port.</summary>
    public int Port { get; }

    /// <summary>The web port (WebSocket at /ws); 0 when the server was started without one.</summary>
    public int WebPort { get; }

    /// <summary>Where the bench's users connect: the web port when the server has one (their frames go over /ws), else the TCP port.</summary>
    public int ClientPort => WebPort != 0 ? WebPort : Port;

    public int Pid => process.Id;

    /// <param name="defaultBounds">Keep the server's own slow-consumer bounds (the slow-consumer probe measures them).</param>
    /// <param name="web">Also serve the web port (`--web`), under TLS with a certificate made now when <paramref name="tls"/>.</param>
    /// <param name="node">A cluster node's settings (its port among them); null: the single node on a free port.</param>
    public static async Task<ServerProcess> StartAsync(string serverDll, int users, bool tls, bool defaultBounds = false, bool web = false,
        ClusterNodeSettings? node = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), "messenger-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllLinesAsync(Path.Combine(folder, "credentials.txt"),
            Enumerable.Range(0, users).Select(i => $"{BenchConnection.UserName(i)} {BenchConnection.Password(i)}"));
        var port = node?.Port ?? LoopbackPorts.Free();
        var webPort = web ? node is null ? LoopbackPorts.Free() : LoopbackPorts.Next() : 0;
        var info = PublishedApp.StartInfo(serverDll, folder);
        foreach (var argument in new[] { port.ToString(), "60", "3600", "--listen", "127.0.0.1",
                     "--credentials", "credentials.txt", "--data-dir", "data" }.Concat(tls ? [] : new[] { "--plaintext" })
                     .Concat(web ? new[] { "--web", $"127.0.0.1:{webPort}" } : [])
                     .Concat(node is null ? [] : ["--cluster", "--node-id", node.NodeId, "--postgres", node.PostgreSql, "--redis", node.Redis]))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["MESSENGER_Server__MaxMessagesPerSecond"] = "1000000";
        info.Environment["MESSENGER_Server__MaxRoomMessagesPerSecond"] = "1000000";
        info.Environment["MESSENGER_Server__LoginAttemptsPerAddressPerMinute"] = "1000000";
        info.Environment["MESSENGER_Server__MaxLoginAttemptsPerConnection"] = "100";
        if (!defaultBounds)
        {
            info.Environment["MESSENGER_Server__OutboundQueueBytes"] = "268435456";
            info.Environment["MESSENGER_Server__MaxUnacknowledgedMessages"] = "1000000";
            info.Environment["MESSENGER_Server__MaxUnacknowledgedBytes"] = "1073741824";
        }
        if (web && tls)
        {
            // The web port's certificate is the operator's (browsers cannot pin): a throwaway one for this run.
            using var certificate = Messenger.Security.CertificateFactory.CreateSelfSigned("bench-web");
            Messenger.Security.CertificateFactory.SavePkcs12(certificate, Path.Combine(folder, "web.p12"), "bench");
            info.Environment["MESSENGER_Server__WebCertificatePath"] = Path.Combine(folder, "web.p12");
            info.Environment["MESSENGER_Server__WebCertificatePassword"] = "bench";
        }
        // The generator's own runtime settings are not the server's.
        info.Environment.Remove("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS");
        // For experiments: BENCH_SERVER_X=v sets X=v for the server only (e.g. BENCH_SERVER_DOTNET_gcServer=1).
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("BENCH_SERVER_", StringComparison.Ordinal)).ToList())
        {
            info.Environment[key["BENCH_SERVER_".Length..]] = info.Environment[key];
            info.Environment.Remove(key);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        _ = Environment.GetEnvironmentVariable("BENCH_SERVER_LOG") is { Length: > 0 } errors
            ? CopyToFileAsync(process.StandardError, errors)
            : process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("Listening on", StringComparison.Ordinal))
            {
                // BENCH_SERVER_LOG=file keeps the server's log from here on, to see what it did during a run.
                _ = Environment.GetEnvironmentVariable("BENCH_SERVER_LOG") is { Length: > 0 } log
                    ? CopyToFileAsync(process.StandardOutput, log)
                    : process.StandardOutput.ReadToEndAsync();
                await Console.Error.WriteLineAsync($"bench: server {node?.NodeId} pid {process.Id} on port {port}{(web ? $", web port {webPort}" : "")} ({(tls ? "tls" : "plaintext")}, {users} users)");
                return new ServerProcess(process, folder, port, webPort);
            }
        }
        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException("the server did not start listening");
    }

    private static async Task CopyToFileAsync(StreamReader output, string path)
    {
        await using var file = new StreamWriter(path, append: true) { AutoFlush = true };
        while (await output.ReadLineAsync() is { } line)
        {
            await file.WriteLineAsync($"{DateTime.UtcNow:HH:mm:ss.fff} {line}");
        }
    }

    public TimeSpan CpuTime() => ProcStat.CpuTime(process.Id);

    /// <summary>kill -9: the process ends at once, its sockets reset, nothing of it runs any more.</summary>
    public void KillHard() => process.Kill();

    public long RssKiB() => ProcStat.RssKiB(process.Id);

    public void Dispose()
    {
        ProcessEnd.Kill(process);
        Directory.Delete(folder, recursive: true);
    }
}

/// <summary>CPU time and memory from /proc (utime+stime in clock ticks of 10 ms; VmRSS in KiB).</summary>
public static class ProcStat
{
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromMilliseconds((long.Parse(fields[11]) + long.Parse(fields[12])) * 10);
    }

    public static long RssKiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    /// <summary>Busy CPU time of the whole machine (all CPUs, from /proc/stat).</summary>
    public static TimeSpan MachineBusy()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        for (var i = 1; i < fields.Length; i++)
        {
            if (i is not 4 and not 5) // idle, iowait
            {
                busy += long.Parse(fields[i]);
            }
        }
        return TimeSpan.FromMilliseconds(busy * 10);
    }
}
