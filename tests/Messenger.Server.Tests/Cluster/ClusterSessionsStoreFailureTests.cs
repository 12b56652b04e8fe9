using Messenger.Server.Cluster;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Messenger.Server.Tests.Cluster;

/// <summary>A login or resume whose session claim cannot be read (PostgreSQL down) gets an answer, not an exception.</summary>
[TestClass]
public sealed class ClusterSessionsStoreFailureTests
{
    [TestMethod]
    [DataRow(false, DisplayName = "a password login")]
    [DataRow(true, DisplayName = "a resume")]
    public async Task AClaimThatCannotReadTheRecordEndsAsStoreFailed(bool resume)
    {
        var network = new InMemoryClusterNetwork();
        var sessions = new ClusterSessions(network.Join("n1"), new UnreadableRecord(), new ClusterDirectory("n1"), InProcessCluster.Settings,
            new FakeTimeProvider());

        Assert.AreEqual(ClaimResult.StoreFailed, await sessions.ClaimAsync("alice", resume ? "token" : null));
    }

    private sealed class UnreadableRecord : IClusterRecord
    {
        public Task<SessionClaim?> FindClaimAsync(string user, CancellationToken cancellationToken = default) =>
            Task.FromException<SessionClaim?>(new NpgsqlException("connection refused"));

        public Task HeartbeatAsync(string node, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlySet<string>> LiveNodesAsync(TimeSpan deadAfter, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task ClaimAsync(SessionClaim claim, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task ReleaseClaimAsync(string user, string node, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<SessionClaim>> LoadClaimsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<long> NextGuestNumberAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
