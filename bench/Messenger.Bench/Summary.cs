using System.Globalization;
using System.Text.Json;

namespace Messenger.Bench;

/// <summary>Turns a results file (one JSON line per workload and run) into median [min, max] tables.</summary>
public static class Summary
{
    public static void Print(string path)
    {
        var rows = File.ReadLines(path)
            .Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .ToList();
        ComparisonTable.Print(rows);
        // S1 runs are told apart by their variant (holders, size): one table each.
        foreach (var group in rows.GroupBy(r => r.GetProperty("workload").GetString() + (r.TryGetProperty("variant", out var v) ? " " + v.GetString() : ""))
                     .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var modes = group.Select(r => r.GetProperty("mode").GetString()!).Distinct().OrderBy(m => m, StringComparer.Ordinal).ToList();
            Console.WriteLine($"### {group.Key}");
            Console.WriteLine();
            Console.WriteLine("| metric | " + string.Join(" | ", modes.Select(m => $"{m} (n={group.Count(r => r.GetProperty("mode").GetString() == m)})")) + " |");
            Console.WriteLine("|---|" + string.Concat(modes.Select(_ => "---|")));
            var metrics = group.SelectMany(r => r.EnumerateObject())
                .Where(p => p.Value.ValueKind == JsonValueKind.Number && p.Name != "run")
                .Select(p => p.Name).Distinct().ToList();
            foreach (var metric in metrics)
            {
                var cells = modes.Select(mode =>
                {
                    var values = group.Where(r => r.GetProperty("mode").GetString() == mode && r.TryGetProperty(metric, out var v) && v.ValueKind == JsonValueKind.Number)
                        .Select(r => r.GetProperty(metric).GetDouble()).Order().ToList();
                    if (values.Count == 0)
                    {
                        return "";
                    }
                    var median = values.Count % 2 == 1 ? values[values.Count / 2] : (values[values.Count / 2 - 1] + values[values.Count / 2]) / 2;
                    return values.Count == 1 ? Format(median) : $"{Format(median)} [{Format(values[0])}, {Format(values[^1])}]";
                });
                Console.WriteLine($"| {metric} | " + string.Join(" | ", cells) + " |");
            }
            var errors = group.Where(r => r.TryGetProperty("error", out _)).Select(r => r.GetProperty("error").GetString()).ToList();
            if (errors.Count > 0)
            {
                Console.WriteLine($"\nfailed runs: {errors.Count} ({string.Join("; ", errors)})");
            }
            Console.WriteLine();
        }
    }

    internal static string Format(double value) =>
        Math.Abs(value) >= 1000 ? value.ToString("N0", CultureInfo.InvariantCulture)
        : Math.Abs(value) >= 10 ? value.ToString("0.#", CultureInfo.InvariantCulture)
        : value.ToString("0.###", CultureInfo.InvariantCulture);
}
