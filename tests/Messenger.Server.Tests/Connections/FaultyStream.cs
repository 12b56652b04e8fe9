namespace Messenger.Server.Tests.Connections;

/// <summary>
/// A stream over a real one whose writes either throw an unexpected exception or never complete: the two ways a
/// writer can fail to drain its queue.
/// </summary>
internal sealed class FaultyStream(Stream inner, FaultyStream.Fault fault) : Stream
{
    public enum Fault
    {
        /// <summary>Every write throws InvalidOperationException (a bug, not an I/O error).</summary>
        ThrowOnWrite,

        /// <summary>Every write waits until cancelled, as a client that never reads would make it.</summary>
        NeverCompleteWrites,
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        await inner.ReadAsync(buffer, cancellationToken);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (fault == Fault.ThrowOnWrite)
        {
            throw new InvalidOperationException("injected writer fault");
        }
        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
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
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
