namespace Messenger.Server.Storage.Sqlite;

/// <summary>A write with a result of type <typeparamref name="T"/>, and the caller's task waiting for it.</summary>
internal sealed class QueuedWrite<T>(Func<T> work) : IQueuedWrite
{
    private readonly TaskCompletionSource<T> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T result = default!;

    /// <summary>Completes after the transaction holding this write committed, with the work's result.</summary>
    public Task<T> Task => done.Task;

    public void Run() => result = work();

    public void Succeed() => done.TrySetResult(result);

    public void Fail(Exception failure) => done.TrySetException(failure);
}
