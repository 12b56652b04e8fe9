namespace Messenger.Server.Swarm;

/// <summary>
/// Cluster mode's side of p2pDownload (docs/ARCHITECTURE.md "Cluster mode"): each node asks its own users and lists its
/// own registry, the requester's node gathers the answers. Null on a single node.
/// </summary>
public interface IRemoteHolders
{
    /// <summary>The holdings of every other live node's users for this search (a node that does not answer in time adds none).</summary>
    Task<IReadOnlyList<SwarmHolding>> GatherAsync(string requester, string name, string? fileId);

    /// <summary>A report was counted here: every other node counts it too, so reporters on different nodes add up.</summary>
    void Reported(string reporter, string fileId, string owner);
}
