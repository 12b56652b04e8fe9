using System.Text.Json;

namespace Messenger.Bench;

/// <summary>
/// The one-generator table (issue 17): per workload, the headline figures of every server and mode side by side
/// (median of the runs), the generator's CPU beside each (so a generator-bound figure shows as one), and each
/// server's ratio to ngIRCd in the same results file.
/// </summary>
public static class ComparisonTable
{
    private static readonly (string Workload, string Metric, string Label)[] Figures =
    [
        ("W1", "delivered_per_s", "W1 delivered/s"),
        ("W1", "server_cpu_us_per_msg", "W1 server CPU µs/msg"),
        ("W2", "lat_p50_ms", "W2 p50 ms at 20k/s"),
        ("W2", "lat_p99_ms", "W2 p99 ms at 20k/s"),
        ("W2", "server_cpu_us_per_msg", "W2 server CPU µs/msg"),
        ("W3", "lat_p50_ms", "W3 p50 ms (50/s to 1,000)"),
        ("W3", "lat_p99_ms", "W3 p99 ms"),
        ("W3", "server_cpu_us_per_delivery", "W3 server CPU µs/delivery"),
        ("W3b", "deliveries_per_s", "W3b deliveries/s"),
        ("W3b", "server_cpu_us_per_delivery", "W3b server CPU µs/delivery"),
        ("W4", "login_s", "W4 login s"),
        ("W4", "server_kib_per_conn", "W4 server KiB/conn"),
    ];

    private static readonly string[] ModeOrder = ["plaintext", "tls", "aot-plaintext", "aot-tls", "ws", "wss", "ngircd", "inspircd"];

    public static void Print(IReadOnlyList<JsonElement> rows)
    {
        var modes = rows.Where(r => !r.TryGetProperty("error", out _)).Select(r => r.GetProperty("mode").GetString()!).Distinct()
            .OrderBy(m => Array.IndexOf(ModeOrder, m) is var i && i < 0 ? int.MaxValue : i).ThenBy(m => m, StringComparer.Ordinal).ToList();
        if (!modes.Contains("ngircd") || modes.Count < 2)
        {
            return;
        }
        var others = modes.Where(m => m != "ngircd").ToList();
        Console.WriteLine("### One generator, every server (median of runs; generator CPU % of one core in brackets)");
        Console.WriteLine();
        Console.WriteLine("| figure | " + string.Join(" | ", modes) + " | " + string.Join(" | ", others.Select(m => $"{m} / ngircd")) + " |");
        Console.WriteLine("|---|" + string.Concat(Enumerable.Repeat("---|", modes.Count + others.Count)));
        foreach (var (workload, metric, label) in Figures)
        {
            var medians = modes.ToDictionary(m => m, m => Median(rows, workload, m, metric));
            if (medians.Values.All(v => v is null))
            {
                continue;
            }
            var cells = modes.Select(m => medians[m] is { } v
                ? $"{Format(v)} ({Format(Median(rows, workload, m, "generator_cpu_pct") ?? double.NaN)} %)" : "");
            var ratios = others.Select(m => medians[m] is { } v && medians["ngircd"] is { } n && n != 0 ? $"{v / n:0.00}x" : "");
            Console.WriteLine($"| {label} | " + string.Join(" | ", cells) + " | " + string.Join(" | ", ratios) + " |");
        }
        Console.WriteLine();
    }

    private static double? Median(IEnumerable<JsonElement> rows, string workload, string mode, string metric)
    {
        var values = rows.Where(r => r.GetProperty("workload").GetString() == workload && r.GetProperty("mode").GetString() == mode
                                     && r.TryGetProperty(metric, out var v) && v.ValueKind == JsonValueKind.Number)
            .Select(r => r.GetProperty(metric).GetDouble()).Order().ToList();
        return values.Count == 0 ? null
            : values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
    }

    private static string Format(double value) => double.IsNaN(value) ? "?" : Summary.Format(value);
}
