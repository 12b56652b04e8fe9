using Messenger.Server.Auth;
using Messenger.Server.Storage.Postgres;

namespace Messenger.Server.Cluster;

/// <summary>
/// Lockouts shared by every node: each verdict is applied under the user's PostgreSQL row lock, so 12 guesses spread
/// over 3 nodes still get exactly three counted tries. The clock is the node's <see cref="TimeProvider"/>.
/// </summary>
public sealed class ClusterLockouts(PostgresStore store, TimeProvider time, TimeSpan blockDuration) : ILockouts
{
    public async ValueTask<bool> IsLockedAsync(string user) =>
        LockoutRule.IsLocked(await store.Lockouts.LoadLockoutAsync(user), time.GetUtcNow());

    public ValueTask<LoginOutcome> ApplyAsync(string user, bool passwordCorrect) =>
        store.Lockouts.ApplyAsync(user, passwordCorrect, time.GetUtcNow(), blockDuration);
}
