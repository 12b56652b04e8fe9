using System.Collections.Concurrent;
using Npgsql;

namespace Messenger.Server.Cluster;

/// <summary>The coordination record in memory, on a <see cref="TimeProvider"/>, shared by in-process nodes in tests.</summary>
public sealed class InMemoryClusterRecord(TimeProvider time) : IClusterRecord
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> heartbeats = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SessionClaim> claims = new(StringComparer.Ordinal);
    private long guestNumbers;

    /// <summary>A fault knob: while set, recording a claim fails as it would with PostgreSQL down.</summary>
    public bool FailClaims { get; set; }

    /// <summary>A fault knob: while it names a node, that node's heartbeats fail as with PostgreSQL out of its reach.</summary>
    public string? FailHeartbeatsOf { get; set; }

    public Task HeartbeatAsync(string node, CancellationToken cancellationToken = default)
    {
        if (FailHeartbeatsOf == node)
        {
            return Task.FromException(new NpgsqlException("the record is out of reach (fault knob)"));
        }
        heartbeats[node] = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task<IReadOnlySet<string>> LiveNodesAsync(TimeSpan deadAfter, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return Task.FromResult<IReadOnlySet<string>>(heartbeats.Where(h => now - h.Value < deadAfter).Select(h => h.Key).ToHashSet(StringComparer.Ordinal));
    }

    public Task ClaimAsync(SessionClaim claim, CancellationToken cancellationToken = default)
    {
        if (FailClaims)
        {
            return Task.FromException(new NpgsqlException("the record is unavailable (fault knob)"));
        }
        claims[claim.User] = claim;
        return Task.CompletedTask;
    }

    public Task<SessionClaim?> FindClaimAsync(string user, CancellationToken cancellationToken = default) =>
        Task.FromResult(claims.GetValueOrDefault(user));

    public Task ReleaseClaimAsync(string user, string node, CancellationToken cancellationToken = default)
    {
        if (claims.TryGetValue(user, out var claim) && claim.Node == node)
        {
            claims.TryRemove(new KeyValuePair<string, SessionClaim>(user, claim));
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SessionClaim>> LoadClaimsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SessionClaim>>([.. claims.Values]);

    public Task<long> NextGuestNumberAsync(CancellationToken cancellationToken = default) => Task.FromResult(Interlocked.Increment(ref guestNumbers));
}
