using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>One process (or group) whose CPU a window measures; <paramref name="IsServer"/>: a server node's.</summary>
public sealed record CpuSource(string Name, bool IsServer, Func<TimeSpan> Cpu);

/// <summary>
/// CPU of the server (the sum of the nodes, for a cluster), of each other measured process (a cluster's nodes, Redis,
/// PostgreSQL), of the generator and of the machine over one measured window.
/// </summary>
public sealed class CpuWindow
{
    private readonly IReadOnlyList<CpuSource> sources;
    private readonly TimeSpan[] start;
    private readonly TimeSpan self0;
    private readonly TimeSpan machine0;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private TimeSpan[] used = [];

    public CpuWindow(IServerUnderTest server)
        : this([new CpuSource("server", true, server.CpuTime)])
    {
    }

    public CpuWindow(IReadOnlyList<CpuSource> sources)
    {
        this.sources = sources;
        start = sources.Select(s => s.Cpu()).ToArray();
        self0 = ProcStat.CpuTime(Environment.ProcessId);
        machine0 = ProcStat.MachineBusy();
    }

    public TimeSpan Server { get; private set; }
    public TimeSpan Generator { get; private set; }
    public TimeSpan Machine { get; private set; }
    public double Seconds { get; private set; }

    public CpuWindow Stop()
    {
        Seconds = clock.Elapsed.TotalSeconds;
        used = sources.Select((s, i) => s.Cpu() - start[i]).ToArray();
        Server = TimeSpan.FromTicks(used.Where((_, i) => sources[i].IsServer).Sum(t => t.Ticks));
        Generator = ProcStat.CpuTime(Environment.ProcessId) - self0;
        Machine = ProcStat.MachineBusy() - machine0;
        return this;
    }

    /// <summary>
    /// Adds server/generator/other CPU (in % of one core) and per-unit CPU (µs) to a result; with several sources, each
    /// one's too, per <paramref name="unitsOf"/>(its name) units (default: all of them).
    /// </summary>
    public void AddTo(Dictionary<string, object> result, double units, string unitName, Func<string, double>? unitsOf = null)
    {
        result["server_cpu_pct"] = Math.Round(Server.TotalSeconds / Seconds * 100, 1);
        result["generator_cpu_pct"] = Math.Round(Generator.TotalSeconds / Seconds * 100, 1);
        result["other_cpu_pct"] = Math.Round((Machine - Server - Generator).TotalSeconds / Seconds * 100, 1);
        result[$"server_cpu_us_per_{unitName}"] = Math.Round(Server.TotalMicroseconds / Math.Max(1, units), 3);
        result[$"generator_cpu_us_per_{unitName}"] = Math.Round(Generator.TotalMicroseconds / Math.Max(1, units), 3);
        if (sources.Count < 2)
        {
            return;
        }
        for (var i = 0; i < sources.Count; i++)
        {
            var name = sources[i].Name;
            result[$"{name}_cpu_pct"] = Math.Round(used[i].TotalSeconds / Seconds * 100, 1);
            result[$"{name}_cpu_us_per_{unitName}"] = Math.Round(used[i].TotalMicroseconds / Math.Max(1, unitsOf?.Invoke(name) ?? units), 3);
        }
    }
}
