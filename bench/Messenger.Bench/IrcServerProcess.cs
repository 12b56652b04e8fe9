using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Messenger.Bench;

/// <summary>
/// ngIRCd or InspIRCd (Debian's packages) as the server under test: a fresh process per run on 127.0.0.1, with the
/// configuration in bench/irc/&lt;daemon&gt;.conf.in rendered into its own folder (port and folder filled in).
/// </summary>
public sealed class IrcServerProcess : IServerUnderTest
{
    private readonly Process process;
    private readonly string folder;

    private IrcServerProcess(Process process, string folder, int port)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    public int ClientPort => Port;

    public static async Task<IrcServerProcess> StartAsync(string daemon, string configDirectory)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"messenger-bench-{daemon}-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        // ngIRCd drops root to "nobody", which must still write its pid file here (the bench reads /proc: Linux only).
        if (OperatingSystem.IsLinux())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_111_111);
        }
        await File.WriteAllTextAsync(Path.Combine(folder, "motd.txt"), "MessengerSuite bench\n");
        Directory.CreateDirectory(Path.Combine(folder, "conf.d"));
        var port = LoopbackPorts.Free();
        var config = Path.Combine(folder, daemon + ".conf");
        await File.WriteAllTextAsync(config, (await File.ReadAllTextAsync(Path.Combine(configDirectory, daemon + ".conf.in")))
            .Replace("@PORT@", port.ToString(), StringComparison.Ordinal).Replace("@DIR@", folder, StringComparison.Ordinal));
        var info = daemon switch
        {
            "ngircd" => new ProcessStartInfo("/usr/sbin/ngircd") { ArgumentList = { "--nodaemon", "--config", config } },
            "inspircd" => new ProcessStartInfo("/usr/sbin/inspircd") { ArgumentList = { "--nofork", "--runasroot", "--config=" + config } },
            _ => throw new InvalidOperationException($"unknown IRC daemon '{daemon}'"),
        };
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = folder;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {daemon}");
        // Drained so a chatty daemon (ngIRCd logs every connection) never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10) && !process.HasExited)
        {
            if (await AcceptsAsync(port))
            {
                await Task.Delay(1000); // Settle, as the anchors do (and its RSS baseline with it).
                await Console.Error.WriteLineAsync($"bench: {daemon} pid {process.Id} on port {port}");
                return new IrcServerProcess(process, folder, port);
            }
            await Task.Delay(100);
        }
        ProcessEnd.Kill(process);
        throw new InvalidOperationException($"{daemon} did not start listening on 127.0.0.1:{port} (config {config})");
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public TimeSpan CpuTime() => ProcStat.CpuTime(process.Id);

    public long RssKiB() => ProcStat.RssKiB(process.Id);

    public void KillHard() => process.Kill();

    public void Dispose()
    {
        ProcessEnd.Kill(process);
        Directory.Delete(folder, recursive: true);
    }
}
