namespace Messenger.Client.Tests.Support;

/// <summary>
/// The near end of a connection whose far end stopped reading: reads give <c>incoming</c> and then wait, and every write
/// waits, until the stream is disposed (then writes fail as on a closed socket and reads see the end) or the write is
/// cancelled.
/// </summary>
internal sealed class StalledStream(byte[] incoming) : Stream
{
    private readonly TaskCompletionSource disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource writeStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int readOffset;

    public StalledStream()
        : this([])
    {
    }

    /// <summary>Completes when the first write is waiting.</summary>
    public Task WriteStarted => writeStarted.Task;

    /// <summary>Completes when the owner has dropped the connection.</summary>
    public Task Disposed => disposed.Task;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (readOffset < incoming.Length)
        {
            var count = Math.Min(buffer.Length, incoming.Length - readOffset);
            incoming.AsMemory(readOffset, count).CopyTo(buffer);
            readOffset += count;
            return count;
        }
        await disposed.Task.WaitAsync(cancellationToken);
        return 0;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        writeStarted.TrySetResult();
        await disposed.Task.WaitAsync(cancellationToken);
        throw new ObjectDisposedException(nameof(StalledStream));
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        disposed.TrySetResult();
        base.Dispose(disposing);
    }
}
