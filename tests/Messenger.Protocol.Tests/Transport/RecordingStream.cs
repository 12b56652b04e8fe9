namespace Messenger.Protocol.Tests.Transport;

/// <summary>A write-only stream that records what was written, how many writes, and whether a given lock was held.</summary>
internal sealed class RecordingStream : Stream
{
    private readonly Lock gate = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> waiters = [];

    public List<byte> Written { get; } = [];

    public int Writes { get; private set; }

    public int WritesUnderLock { get; private set; }

    public object? LockToCheck { get; init; }

    public Exception? Failure { get; init; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public Task WaitForBytesAsync(int count)
    {
        lock (gate)
        {
            if (Written.Count >= count)
            {
                return Task.CompletedTask;
            }
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((count, reached));
            return reached.Task;
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (Failure is not null)
        {
            return ValueTask.FromException(Failure);
        }
        lock (gate)
        {
            Writes++;
            WritesUnderLock += LockToCheck is not null && Monitor.IsEntered(LockToCheck) ? 1 : 0;
            Written.AddRange(buffer.ToArray());
            foreach (var waiter in waiters.Where(w => Written.Count >= w.Count).ToList())
            {
                waiters.Remove(waiter);
                waiter.Reached.SetResult();
            }
        }
        return ValueTask.CompletedTask;
    }

#pragma warning disable VSTHRD002 // Stream's synchronous Write must block: it is the synchronous API.
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
#pragma warning restore VSTHRD002

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
