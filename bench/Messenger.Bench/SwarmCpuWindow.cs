using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>CPU of the downloader, the holders (together), the server and the rest of the machine over one S1 download.</summary>
public sealed class SwarmCpuWindow
{
    private readonly ServerProcess server;
    private readonly ClientProcess downloader;
    private readonly ClientProcess[] holders;
    private readonly TimeSpan server0;
    private readonly TimeSpan downloader0;
    private readonly TimeSpan holders0;
    private readonly TimeSpan machine0;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan server1;
    private TimeSpan downloader1;
    private TimeSpan holders1;
    private TimeSpan machine1;
    private double seconds;

    public SwarmCpuWindow(ServerProcess server, ClientProcess downloader, ClientProcess[] holders)
    {
        this.server = server;
        this.downloader = downloader;
        this.holders = holders;
        server0 = server.CpuTime();
        downloader0 = downloader.CpuTime();
        holders0 = HoldersCpu();
        machine0 = ProcStat.MachineBusy();
    }

    public void Stop()
    {
        seconds = clock.Elapsed.TotalSeconds;
        server1 = server.CpuTime();
        downloader1 = downloader.CpuTime();
        holders1 = HoldersCpu();
        machine1 = ProcStat.MachineBusy();
    }

    /// <summary>CPU seconds, and % of one core over the window (200 % = the machine).</summary>
    public void AddTo(Dictionary<string, object> result)
    {
        var downloaderCpu = downloader1 - downloader0;
        var holdersCpu = holders1 - holders0;
        var serverCpu = server1 - server0;
        var other = machine1 - machine0 - downloaderCpu - holdersCpu - serverCpu;
        result["downloader_cpu_s"] = Math.Round(downloaderCpu.TotalSeconds, 2);
        result["holders_cpu_s"] = Math.Round(holdersCpu.TotalSeconds, 2);
        result["downloader_cpu_pct"] = Percent(downloaderCpu);
        result["holders_cpu_pct"] = Percent(holdersCpu);
        result["server_cpu_pct"] = Percent(serverCpu);
        result["other_cpu_pct"] = Percent(other);
    }

    private double Percent(TimeSpan cpu) => Math.Round(cpu.TotalSeconds / Math.Max(seconds, 1e-3) * 100, 1);

    private TimeSpan HoldersCpu() => holders.Aggregate(TimeSpan.Zero, (sum, holder) => sum + holder.CpuTime());
}
