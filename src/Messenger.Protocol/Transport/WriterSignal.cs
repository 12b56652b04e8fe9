using System.Threading.Tasks.Sources;

namespace Messenger.Protocol.Transport;

/// <summary>
/// The wake-up of <see cref="OutboundQueue"/>'s one waiting writer: a reusable awaitable (one object per queue, nothing
/// allocated per wait and no cancellation registration held while idle), where a <c>SemaphoreSlim.WaitAsync(token)</c>
/// kept ~600 bytes per idle connection (its async box, task node, cancellation promise and registration). The queue
/// guarantees one waiter at a time and at most one <see cref="Set"/> per <see cref="WaitAsync"/>.
/// </summary>
internal sealed class WriterSignal : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> core = new() { RunContinuationsAsynchronously = true };

    /// <summary>Completes when <see cref="Set"/> is called (which may already have happened).</summary>
    public ValueTask WaitAsync() => new(this, core.Version);

    public void Set() => core.SetResult(true);

    void IValueTaskSource.GetResult(short token)
    {
        core.GetResult(token);
        core.Reset(); // The awaiting writer has seen this wake-up; the next wait gets a fresh version.
    }

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        core.OnCompleted(continuation, state, token, flags);
}
