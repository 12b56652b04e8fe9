using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>A redis-server of the run's own on 127.0.0.1, without persistence (as scripts/cluster.sh runs it).</summary>
public sealed class RedisServer : IDisposable
{
    private readonly Process process;
    private readonly string folder;

    private RedisServer(Process process, string folder, int port) => (this.process, this.folder, Endpoint) = (process, folder, $"127.0.0.1:{port}");

    public string Endpoint { get; }

    public static async Task<RedisServer> StartAsync(int port)
    {
        var folder = Directory.CreateTempSubdirectory("messenger-bench-redis-").FullName;
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("BENCH_REDIS_SERVER") ?? "redis-server")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--bind", "127.0.0.1", "--port", port.ToString(), "--save", "", "--appendonly", "no", "--dir", folder })
        {
            info.ArgumentList.Add(argument);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start redis-server");
        _ = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                _ = process.StandardOutput.ReadToEndAsync();
                return new RedisServer(process, folder, port);
            }
        }
        ProcessEnd.Kill(process);
        throw new InvalidOperationException($"redis-server did not start on port {port}");
    }

    public TimeSpan CpuTime() => ProcStat.CpuTime(process.Id);

    /// <summary>Calls per command so far (INFO commandstats, through redis-cli), to see what each message costs Redis.</summary>
    public Dictionary<string, long> CommandCalls()
    {
        var info = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-p", Endpoint.Split(':')[1], "info", "commandstats" })
        {
            info.ArgumentList.Add(argument);
        }
        using var cli = Process.Start(info) ?? throw new InvalidOperationException("could not run redis-cli");
        var calls = new Dictionary<string, long>();
        // cmdstat_xadd:calls=123,usec=...
        while (cli.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith("cmdstat_", StringComparison.Ordinal) && line.IndexOf(":calls=", StringComparison.Ordinal) is var at and > 0)
            {
                var number = line[(at + 7)..].Split(',')[0];
                calls[line[8..at]] = long.Parse(number);
            }
        }
        cli.WaitForExit(5000);
        return calls;
    }

    public void Dispose()
    {
        ProcessEnd.Kill(process);
        Directory.Delete(folder, recursive: true);
    }
}
