namespace Messenger.Server.Auth;

/// <summary>
/// The 3-strike lockout as the login path sees it: one node keeps it in memory and writes it through
/// (<see cref="TrackedLockouts"/>); a cluster counts on a PostgreSQL row lock, so the tries on every node together
/// are exactly three (<see cref="Cluster.ClusterLockouts"/>). Either way the verdict is durable when it returns.
/// </summary>
public interface ILockouts
{
    ValueTask<bool> IsLockedAsync(string user);

    /// <summary>Applies one password check's result and returns the verdict.</summary>
    ValueTask<LoginOutcome> ApplyAsync(string user, bool passwordCorrect);
}
