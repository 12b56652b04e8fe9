namespace Messenger.Server.Storage.Sqlite;

/// <summary>One write waiting in a <see cref="GroupCommitWriter"/>, whatever its result type.</summary>
internal interface IQueuedWrite
{
    /// <summary>Runs the work inside the current transaction. It may run again if that transaction is rolled back.</summary>
    void Run();

    /// <summary>The transaction holding the last <see cref="Run"/> committed: completes the caller's task with its result.</summary>
    void Succeed();

    /// <summary>Fails the caller's task.</summary>
    void Fail(Exception failure);
}
