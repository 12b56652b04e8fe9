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
            await foreach (var item in reader.ReadAllAsync(cancellationToken))
            {
                await inbox.ReceiveAsync(item);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the owner.
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
