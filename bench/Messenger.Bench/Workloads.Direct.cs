using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>How a workload's deployment starts (the target's single server, or our cluster) for a number of users.</summary>
public delegate Task<IDeployment> StartDeployment(int users);

/// <summary>
/// W1 and W2, direct messages between 200 users, on one node or on a cluster (user i on node i % nodes). Recipients are
/// any other user (on a cluster of 3, 2/3 of them on another node) or, <c>local</c>, only users of the sender's node.
/// With our protocol every receipt's (sender, message id) goes through a <see cref="DeliveryLedger"/>: repeats and gaps
/// are counted. IRC carries no message id to the recipient: there, lost is what was sent and never received.
/// </summary>
public sealed partial class Workloads
{
    private const int LedgerIdsPerSender = 1 << 17;

    /// <summary>Starts the deployment and logs its users in, each on its node, recipients chosen as asked.</summary>
    private async Task<(IDeployment Deployment, ILoadClient[] Clients, int Failed, DeliveryLedger? Ledger)> StartDirectAsync(StartDeployment start, bool local)
    {
        var count = Scaled(200);
        var deployment = await start(count);
        var (clients, failed) = await LogInAsync(i => deployment.PortOf(i % deployment.Nodes), count, LoginDeadline);
        var ours = clients.OfType<BenchConnection>().ToArray();
        var ledger = ours.Length == clients.Length ? new DeliveryLedger(count, LedgerIdsPerSender) : null;
        foreach (var client in ours)
        {
            client.Ledger = ledger;
            client.Stride = local ? deployment.Nodes : 1;
        }
        await SettleAsync(deployment.Cpu, TimeSpan.FromSeconds(10));
        return (deployment, clients, failed, ledger);
    }

    private Dictionary<string, object> DirectResult(string workload, IDeployment deployment, bool local, ILoadClient[] clients, int failed)
    {
        var result = NewResult(workload);
        result["variant"] = deployment.Name + (local ? " local" : "");
        result["clients"] = clients.Length;
        result["login_failed"] = failed;
        return result;
    }

    /// <summary>Messages each node handled in the window: half of what its users sent and half of what they received (counts by position in clients).</summary>
    private static Func<string, double> NodeShares(IDeployment deployment, ILoadClient[] clients, long[] sent0, long[] received0)
    {
        var handled = new double[deployment.Nodes];
        for (var i = 0; i < clients.Length; i++)
        {
            handled[clients[i].Index % deployment.Nodes] += (clients[i].Sent - sent0[i] + clients[i].Received - received0[i]) / 2.0;
        }
        var total = handled.Sum();
        return name => deployment.Nodes > 1 && name.Length > 1 && name[0] == 'n' && int.TryParse(name[1..], out var node) ? handled[node - 1] : total;
    }

    /// <summary>
    /// Waits (at most 15 s) until every id each sender used was received, then adds the ledger's counts: lost (never
    /// received), lost among those the server acknowledged, repeats, and repeats the user would have seen. Without a
    /// ledger (IRC), lost is what was sent and not received after the same wait.
    /// </summary>
    private static async Task AddDeliveryChecksAsync(Dictionary<string, object> result, ILoadClient[] clients, DeliveryLedger? ledger)
    {
        if (ledger is null)
        {
            result["lost"] = await DrainAsync(clients, TimeSpan.FromSeconds(15));
            return;
        }
        var ours = clients.OfType<BenchConnection>().ToArray();
        var sent = new long[clients.Max(c => c.Index) + 1];
        (long Lost, long LostAcknowledged, long Acknowledged) Count()
        {
            foreach (var client in clients)
            {
                sent[client.Index] = client.Sent;
            }
            return ledger.Count(sent);
        }
        var clock = Stopwatch.StartNew();
        var counts = Count();
        while (counts.Lost > 0 && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(100);
            counts = Count();
        }
        result["drain_s"] = Math.Round(clock.Elapsed.TotalSeconds, 2);
        result["lost"] = counts.Lost;
        result["acknowledged"] = counts.Acknowledged;
        result["lost_acknowledged"] = counts.LostAcknowledged;
        result["repeated"] = ledger.Repeats;
        result["shown_twice"] = ours.Sum(c => c.ShownTwice);
        result["refused"] = ours.Sum(c => c.Refused);
        result["untracked"] = ledger.Untracked;
    }

    private static void AddAll(Dictionary<string, object> result, Dictionary<string, object>? more)
    {
        foreach (var (key, value) in more ?? [])
        {
            result[key] = value;
        }
    }

    /// <summary>W1: each client sends to random others with at most 32 in flight (sent, not yet received); 2 s (--warmup) + 10 s.</summary>
    public async Task<Dictionary<string, object>> W1Async(StartDeployment start, bool local = false)
    {
        const int window = 32, refill = 8;
        var (deployment, clients, failed, ledger) = await StartDirectAsync(start, local);
        using var _ = deployment;
        var receiver = new CreditReturn(clients, refill);
        foreach (var client in clients)
        {
            client.Receiver = receiver;
        }
        foreach (var client in clients)
        {
            client.SendToRandom(window, clients.Length, 0);
        }
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
        var sent0 = clients.Select(c => c.Sent).ToArray();
        var received0 = clients.Select(c => c.Received).ToArray();
        var redisCommands = (deployment as ClusterDeployment)?.CountRedisCommands();
        var cpu = new CpuWindow(deployment.Cpu);
        await Task.Delay(TimeSpan.FromSeconds(10));
        var delivered = clients.Sum(c => c.Received) - received0.Sum();
        cpu.Stop();
        receiver.Stopped = true;
        var result = DirectResult("W1", deployment, local, clients, failed);
        result["delivered_per_s"] = Math.Round(delivered / cpu.Seconds);
        cpu.AddTo(result, delivered, "msg", NodeShares(deployment, clients, sent0, received0));
        AddAll(result, redisCommands?.Invoke(delivered));
        result["sent"] = clients.Sum(c => c.Sent);
        await AddDeliveryChecksAsync(result, clients, ledger);
        await DisposeAllAsync(clients);
        return result;
    }

    /// <summary>W1's flow control: a receipt returns one credit to its sender, which sends again once 8 are back.</summary>
    private sealed class CreditReturn(ILoadClient[] clients, int refill) : IReceiver
    {
        private readonly int[] credits = new int[clients.Length];

        public volatile bool Stopped;

        public void OnIncoming(ILoadClient at, ReadOnlySpan<byte> text, long now)
        {
            if (!BenchConnection.TryParseText(text, out var sender, out _) || (uint)sender >= (uint)clients.Length)
            {
                return;
            }
            if (Interlocked.Increment(ref credits[sender]) >= refill && !Stopped)
            {
                var returned = Interlocked.Exchange(ref credits[sender], 0);
                if (returned > 0)
                {
                    clients[sender].SendToRandom(returned, clients.Length, 0);
                }
            }
        }
    }
}
