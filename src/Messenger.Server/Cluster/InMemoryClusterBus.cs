using System.Threading.Channels;
using Messenger.Protocol.Transport;

namespace Messenger.Server.Cluster;

/// <summary>One node's end of an <see cref="InMemoryClusterNetwork"/>: per-destination order, like the Redis streams.</summary>
public sealed class InMemoryClusterBus(InMemoryClusterNetwork network, string nodeId) : IClusterBus
{
    public string NodeId => nodeId;

    public void Send(string node, ClusterItem item) => network.Carry(nodeId, node, item with { From = nodeId });

    public void Publish(ClusterItem item)
    {
        var stamped = item with { From = nodeId };
        foreach (var node in network.Nodes.Where(n => n != nodeId))
        {
            network.Carry(nodeId, node, stamped);
        }
    }

    public async Task RunAsync(IClusterInbox inbox, CancellationToken cancellationToken)
    {
        network.Register(nodeId, inbox);
        var reader = network.Inbox(nodeId);
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                // What has arrived, as the Redis bus handles an XREAD reply: each client's writer woken once at its end.
                await DeferredWakes.ForEachAsync(Arrived(reader), inbox.ReceiveAsync);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the owner.
        }
    }

    /// <summary>What is in the inbox now, up to a Redis reply's size (a window that never ends would starve the writers).</summary>
    private static IEnumerable<ClusterItem> Arrived(ChannelReader<ClusterItem> reader)
    {
        for (var taken = 0; taken < RedisStreamsBus.ReadBatch && reader.TryRead(out var item); taken++)
        {
            yield return item;
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
