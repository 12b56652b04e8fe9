using Messenger.Server.Storage;

namespace Messenger.Server.Auth;

/// <summary>One node's lockouts: the in-memory <see cref="LockoutTracker"/>, each change saved before the verdict returns.</summary>
public sealed class TrackedLockouts(LockoutTracker tracker, ILockoutStore store) : ILockouts
{
    public ValueTask<bool> IsLockedAsync(string user) => ValueTask.FromResult(tracker.IsLocked(user));

    public async ValueTask<LoginOutcome> ApplyAsync(string user, bool passwordCorrect)
    {
        var (outcome, changed) = tracker.Apply(user, passwordCorrect);
        if (changed is not null)
        {
            await store.SaveLockoutAsync(changed);
        }
        return outcome;
    }
}
