using Messenger.Protocol.Tasks;
using Messenger.Server.Swarm;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Cluster;

/// <summary>
/// p2pDownload between nodes, scatter and gather (shared/SCALEOUT.md §2.7): the requester's node sends a
/// <see cref="HolderQueryItem"/> to every other live node; each asks its own users, waits for them as a single node
/// does, and answers its registry's online owners with the endpoints it sees. The registry stays with the node of the
/// owner's session, since an entry is worth nothing once that session is gone. Reports of bad chunks are published,
/// so reporters on any nodes add up.
/// </summary>
public sealed class ClusterSwarm(IClusterBus bus, ClusterDirectory directory, SwarmBroker swarm, ClusterOptions options, TimeSpan holderQueryTimeout,
    TimeProvider time, ILogger logger) : IRemoteHolders
{
    private readonly ClusterCalls<SwarmHolding[]> calls = new(time);
    private readonly BackgroundWork searches = new((what, failure) => logger.LogError(failure, "{Work} failed", what));

    public async Task<IReadOnlyList<SwarmHolding>> GatherAsync(string requester, string name, string? fileId)
    {
        var others = directory.LiveNodes.Where(node => node != directory.Self);
        var answers = await Task.WhenAll(others.Select(node => AskAsync(node, requester, name, fileId)));
        return [.. answers.SelectMany(holdings => holdings)];
    }

    /// <summary>One node's holdings; a node that does not answer within its users' time plus the bus's (it died) adds none.</summary>
    private async Task<SwarmHolding[]> AskAsync(string node, string requester, string name, string? fileId)
    {
        try
        {
            return await calls.AskAsync(call => bus.Send(node, new HolderQueryItem(call, requester, name, fileId)), holderQueryTimeout + options.TakeoverTimeout);
        }
        catch (TimeoutException)
        {
            return [];
        }
    }

    public void Reported(string reporter, string fileId, string owner) => bus.Publish(new SwarmReportEvent(reporter, fileId, owner));

    /// <summary>Another node's search: this node's users are asked beside the bus reader (they may take HolderQueryTimeout).</summary>
    public void Queried(HolderQueryItem item) =>
        searches.Run($"the search for '{item.Name}' by {item.Requester} of {item.From}",
            async () => bus.Send(item.From, new HolderListReply(item.CallId, [.. await swarm.HoldingsAsync(item.Requester, item.Name, item.FileId)])));

    public void Answered(HolderListReply reply) => calls.Answer(reply.CallId, reply.Holdings);

    public void ReportedElsewhere(SwarmReportEvent report) => swarm.ReportedElsewhere(report.Reporter, report.FileId, report.Owner);

    /// <summary>Waits for the searches still running (at stop).</summary>
    public Task DrainAsync(TimeSpan timeout) => searches.DrainAsync(timeout);
}
