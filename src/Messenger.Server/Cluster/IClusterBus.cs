namespace Messenger.Server.Cluster;

/// <summary>
/// Carries items between nodes: <see cref="Send"/> to one node, in order per destination, and <see cref="Publish"/>
/// to every other node, in one total order. At-least-once between live nodes, never durable: the end-to-end acks and
/// the store make up for what it loses (docs/ARCHITECTURE.md "Cluster mode"). Neither call waits on the network.
/// Implementations: <see cref="InMemoryClusterBus"/> (tests, with fault knobs) and <see cref="RedisStreamsBus"/>.
/// </summary>
public interface IClusterBus : IAsyncDisposable
{
    string NodeId { get; }

    void Send(string node, ClusterItem item);

    void Publish(ClusterItem item);

    /// <summary>Reads this node's items and events until <paramref name="cancellationToken"/>; its owner awaits it.</summary>
    Task RunAsync(IClusterInbox inbox, CancellationToken cancellationToken);
}
