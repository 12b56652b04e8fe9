namespace Messenger.Server.Storage;

/// <summary>Password lockouts: consecutive failures per user and when a lock ends, so a restart does not reset them.</summary>
public interface ILockoutStore
{
    /// <summary>Saves a user's failure count and lock expiry; a record with 0 failures and no lock is deleted.</summary>
    ValueTask SaveLockoutAsync(LockoutRecord record, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<LockoutRecord>> LoadLockoutsAsync(CancellationToken cancellationToken = default);
}
