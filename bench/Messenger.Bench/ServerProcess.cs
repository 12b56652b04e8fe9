using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Messenger.Bench;

/// <summary>
/// The server under test as its own process (server.dll sits next to the bench), on 127.0.0.1 with its own data
/// folder and N accounts, its abuse limits raised for load from one host. Reads its CPU time and memory from /proc.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process process;
    private readonly string folder;

    private ServerProcess(Process process, string folder, int port)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    public static async Task<ServerProcess> StartAsync(int users, bool tls)
    {
        var folder = Path.Combine(Path.GetTempPath(), "messenger-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllLinesAsync(Path.Combine(folder, "credentials.txt"), Enumerable.Range(0, users).Select(i => $"{UserName(i)} pw{i}"));
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false, WorkingDirectory = folder };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "server.dll"), port.ToString(), "60", "3600", "--listen", "127.0.0.1",
                     "--credentials", "credentials.txt", "--data-dir", "data" }.Concat(tls ? [] : new[] { "--plaintext" }))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["MESSENGER_Server__MaxMessagesPerSecond"] = "10000000";
        info.Environment["MESSENGER_Server__LoginAttemptsPerAddressPerMinute"] = "10000000";
        info.Environment["MESSENGER_Server__OutboundQueueCapacity"] = "1000000";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the server");
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("Listening on", StringComparison.Ordinal))
            {
                break;
            }
        }
        _ = process.StandardOutput.ReadToEndAsync();
        return new ServerProcess(process, folder, port);
    }

    public static string UserName(int i) => $"u{i:D5}";

    /// <summary>User plus system CPU time of the server so far (from /proc/&lt;pid&gt;/stat, clock ticks of 10 ms).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{process.Id}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    /// <summary>Resident memory (VmRSS) in KiB.</summary>
    public long RssKiB() =>
        long.Parse(File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    public void Dispose()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
        Directory.Delete(folder, recursive: true);
    }
}
