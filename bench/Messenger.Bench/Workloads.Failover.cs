using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>
/// F1: a cluster of 3 under a steady paced load (W2's pattern at <c>rate</c>); 3 s in, node n2 is killed with
/// `kill -9`. Its users, who hold the other nodes as `--servers` (own node first), reconnect to the next node and
/// resume with their token, sending again what was unanswered. The load goes on for 10 s after the kill.
/// Failover time: from the kill to the last of n2's users resumed. Every message sent, acknowledged or not, must
/// arrive once (the ledger checks each id).
/// </summary>
public sealed partial class Workloads
{
    public async Task<Dictionary<string, object>> FailoverAsync(int rate)
    {
        const int killAfterSeconds = 3, afterKillSeconds = 10, killed = 1;
        var (deployment, loadClients, failed, ledger) = await StartDirectAsync(users => ClusterDeployment.StartAsync(options, users), local: false);
        using var _ = deployment;
        var clients = loadClients.Cast<BenchConnection>().ToArray(); // failover is our client's (F1 runs our protocol only)
        foreach (var client in clients)
        {
            var node = client.Index % deployment.Nodes;
            client.FailOverTo([.. Enumerable.Range(0, deployment.Nodes).Select(k => deployment.PortOf((node + k) % deployment.Nodes))]);
        }
        var begin = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10;
        var killAt = begin + killAfterSeconds * Stopwatch.Frequency;
        var killedAt = 0L;
        var pacer = new Pacer(clients, rate, begin, killAfterSeconds + afterKillSeconds)
        {
            OnTick = now =>
            {
                if (killedAt == 0 && now >= killAt)
                {
                    killedAt = Stopwatch.GetTimestamp();
                    deployment.Kill(killed);
                }
            },
        };
        await pacer.RunAsync();
        var affected = clients.Where(c => c.Index % deployment.Nodes == killed).ToArray();
        await Task.WhenAll(affected.Select(c => c.ResumedAsync()));
        // Everything unanswered at the end is sent again only after a resume: wait until it is answered too.
        var clock = Stopwatch.StartNew();
        while (clients.Sum(c => c.Unanswered) > 0 && clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(50);
        }
        var result = DirectResult("F1", deployment, local: false, loadClients, failed);
        result["offered_per_s"] = rate;
        result["affected_clients"] = affected.Length;
        result["resumed"] = affected.Count(c => c.ResumedAt != 0);
        result["resume_failed"] = affected.Count(c => c.ResumeFailure is not null);
        var resumeSeconds = affected.Where(c => c.ResumedAt != 0).Select(c => (c.ResumedAt - killedAt) / (double)Stopwatch.Frequency).Order().ToArray();
        if (resumeSeconds.Length > 0)
        {
            result["failover_s"] = Math.Round(resumeSeconds[^1], 3);
            result["resume_p50_s"] = Math.Round(resumeSeconds[resumeSeconds.Length / 2], 3);
            result["first_resume_s"] = Math.Round(resumeSeconds[0], 3);
        }
        var lostSeconds = affected.Where(c => c.LostAt != 0).Select(c => (c.LostAt - killedAt) / (double)Stopwatch.Frequency).ToArray();
        if (lostSeconds.Length > 0)
        {
            result["last_link_lost_s"] = Math.Round(lostSeconds.Max(), 3);
        }
        result["unanswered_at_end"] = clients.Sum(c => c.Unanswered);
        result["sent"] = clients.Sum(c => c.Sent);
        await AddDeliveryChecksAsync(result, loadClients, ledger);
        foreach (var failure in affected.Select(c => c.ResumeFailure).Where(f => f is not null).Distinct().Take(3))
        {
            await Console.Error.WriteLineAsync($"bench: F1 resume failed: {failure}");
        }
        await DisposeAllAsync(clients);
        return result;
    }
}
