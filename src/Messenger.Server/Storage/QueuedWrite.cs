namespace Messenger.Server.Storage;

/// <summary>One write waiting in a <see cref="GroupCommitQueue"/>: the work, and the caller's task.</summary>
internal sealed record QueuedWrite(Func<object?> Work, TaskCompletionSource<object?> Done);
