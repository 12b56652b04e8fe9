namespace Messenger.Server.Cluster;

/// <summary>
/// The cluster's durable coordination state: node heartbeats (one clock: the record's) and session claims.
/// PostgreSQL in production (<see cref="PostgresClusterRecord"/>), <see cref="InMemoryClusterRecord"/> in tests.
/// </summary>
public interface IClusterRecord
{
    /// <summary>Records that <paramref name="node"/> is alive now.</summary>
    Task HeartbeatAsync(string node, CancellationToken cancellationToken = default);

    /// <summary>Nodes whose last heartbeat is younger than <paramref name="deadAfter"/>.</summary>
    Task<IReadOnlySet<string>> LiveNodesAsync(TimeSpan deadAfter, CancellationToken cancellationToken = default);

    Task ClaimAsync(SessionClaim claim, CancellationToken cancellationToken = default);

    Task<SessionClaim?> FindClaimAsync(string user, CancellationToken cancellationToken = default);

    /// <summary>Deletes the claim if <paramref name="node"/> still holds it (a newer one on another node stays).</summary>
    Task ReleaseClaimAsync(string user, string node, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<SessionClaim>> LoadClaimsAsync(CancellationToken cancellationToken = default);

    /// <summary>A number no node has had for a guest before: guest names are unique across the cluster.</summary>
    Task<long> NextGuestNumberAsync(CancellationToken cancellationToken = default);
}
