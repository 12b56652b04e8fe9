namespace Messenger.Server.Cluster;

/// <summary>What a bus hands its node: items in order per sender, and the faults it noticed.</summary>
public interface IClusterInbox
{
    ValueTask ReceiveAsync(ClusterItem item);

    /// <summary>Items to <paramref name="node"/> may be lost (a send failed): what waits for an answer from it must be stored.</summary>
    ValueTask LinkLostAsync(string node);

    /// <summary>The bus lost its data (Redis restarted empty): every in-flight message must be stored and mirrors reloaded.</summary>
    ValueTask BusResetAsync();
}
