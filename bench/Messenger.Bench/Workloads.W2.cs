using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>W2 on one node or a cluster: a paced rate, receipt latency from the scheduled send time.</summary>
public sealed partial class Workloads
{
    /// <summary>W2: <paramref name="rate"/> msgs/s in total (20,000), paced round-robin over the senders; 2 s (--warmup) + 10 s.</summary>
    public async Task<Dictionary<string, object>> W2Async(int rate, StartDeployment start, bool local = false)
    {
        const int measuredSeconds = 10;
        var warmSeconds = options.WarmupSeconds;
        var (deployment, clients, failed, ledger) = await StartDirectAsync(start, local);
        using var _ = deployment;
        var begin = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        var measureFrom = begin + warmSeconds * Stopwatch.Frequency;
        var measureTo = measureFrom + measuredSeconds * Stopwatch.Frequency;
        var latencies = new NodeLatencies(deployment.Nodes, measuredSeconds * rate + rate, measureFrom, measureTo);
        foreach (var client in clients)
        {
            client.Receiver = latencies;
        }
        CpuWindow? cpu = null;
        long[] sent0 = [], received0 = [];
        var pacer = new Pacer(clients, rate, begin, warmSeconds + measuredSeconds)
        {
            CountFrom = measureFrom,
            OnTick = now =>
            {
                if (cpu is null && now >= measureFrom)
                {
                    (sent0, received0) = (clients.Select(c => c.Sent).ToArray(), clients.Select(c => c.Received).ToArray());
                    cpu = new CpuWindow(deployment.Cpu);
                }
            },
        };
        var redisCommands = (deployment as ClusterDeployment)?.CountRedisCommands();
        await pacer.RunAsync();
        var delivered = clients.Sum(c => c.Received) - received0.Sum();
        if (cpu is null)
        {
            throw new InvalidOperationException("the pacer never reached the measured window");
        }
        cpu.Stop();
        var result = DirectResult("W2", deployment, local, clients, failed);
        result["variant"] = $"{result["variant"]} at {rate}/s";
        result["offered_per_s"] = rate;
        result["delivered_per_s"] = Math.Round(delivered / cpu.Seconds);
        latencies.AddTo(result);
        result["sent_in_window"] = pacer.CountedSends;
        cpu.AddTo(result, delivered, "msg", NodeShares(deployment, clients, sent0, received0));
        await AddDeliveryChecksAsync(result, clients, ledger);
        AddAll(result, redisCommands?.Invoke(clients.Sum(c => c.Received)));
        await DisposeAllAsync(clients);
        return result;
    }

    /// <summary>W2's latencies: all receipts, and on a cluster those that crossed nodes and those that did not.</summary>
    private sealed class NodeLatencies(int nodes, int capacity, long from, long to) : IReceiver
    {
        private readonly Latencies all = new(capacity, from, to);
        private readonly Latencies cross = new(nodes > 1 ? capacity : 1, from, to);
        private readonly Latencies local = new(nodes > 1 ? capacity : 1, from, to);
        private readonly LatencyTimeline timeline = new((int)((to - from) / Stopwatch.Frequency), capacity, from, to);

        public void OnIncoming(ILoadClient at, ReadOnlySpan<byte> text, long now)
        {
            all.OnIncoming(at, text, now);
            timeline.OnIncoming(at, text, now);
            if (nodes > 1 && BenchConnection.TryParseText(text, out var sender, out _))
            {
                (sender % nodes == at.Index % nodes ? local : cross).OnIncoming(at, text, now);
            }
        }

        public void AddTo(Dictionary<string, object> result)
        {
            foreach (var (name, q) in new[] { ("p50", 0.50), ("p99", 0.99), ("p999", 0.999), ("max", 1.0) })
            {
                foreach (var (prefix, latencies) in new[] { ("", all), ("cross_", cross), ("local_", local) })
                {
                    if (latencies.Count > 0 && (nodes > 1 || latencies == all))
                    {
                        result[$"{prefix}lat_{name}_ms"] = Math.Round(latencies.Percentile(q), 3);
                    }
                }
            }
            result["lat_samples"] = all.Count;
            result["cross_samples"] = cross.Count;
            result["lat_p99_by_s_ms"] = timeline.Describe();
        }
    }
}
