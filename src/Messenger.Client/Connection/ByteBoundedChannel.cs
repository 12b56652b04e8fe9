using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace Messenger.Client.Connection;

/// <summary>
/// A queue for one consumer, bounded in bytes rather than items: frames range from 30 bytes to 1 MiB, so an item
/// count bounds nothing. An item's bytes count from <see cref="TryWrite"/> until the consumer reads it. Overrunning the
/// bound is terminal: the item is refused, the queue completes (the consumer still gets what was queued before) and
/// <see cref="Overflowed"/> is set, so the owner ends its connection. Whoever fell behind (a peer or server that does
/// not read, a consumer that does not drain) is not helped by queuing more, and a synchronous producer cannot wait.
/// One item larger than the bound still fits an empty queue, so no single frame is refused for its size alone.
/// </summary>
public sealed class ByteBoundedChannel<T>
{
    private readonly Channel<T> inner = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<T, int> sizeOf;
    private long queuedBytes;
    private int overflowed;

    public ByteBoundedChannel(long byteLimit, Func<T, int> sizeOf)
    {
        ByteLimit = byteLimit;
        this.sizeOf = sizeOf;
        Reader = new CountingReader(this);
    }

    public long ByteLimit { get; }

    /// <summary>The consumer's side; reading an item gives its bytes back to the bound.</summary>
    public ChannelReader<T> Reader { get; }

    /// <summary>Bytes written and not yet read: never more than <see cref="ByteLimit"/>, or one item.</summary>
    public long QueuedBytes => Interlocked.Read(ref queuedBytes);

    /// <summary>True once an item was refused because the queue was full.</summary>
    public bool Overflowed => Volatile.Read(ref overflowed) != 0;

    /// <summary>Queues the item; false when the queue is complete, or full (then it completes and overflows).</summary>
    public bool TryWrite(T item)
    {
        var size = sizeOf(item);
        var after = Interlocked.Add(ref queuedBytes, size);
        if (after > ByteLimit && after != size)
        {
            Interlocked.Add(ref queuedBytes, -size);
            Volatile.Write(ref overflowed, 1);
            inner.Writer.TryComplete();
            return false;
        }
        if (!inner.Writer.TryWrite(item))
        {
            Interlocked.Add(ref queuedBytes, -size);
            return false;
        }
        return true;
    }

    /// <summary>No more items: the consumer reads what is queued, then sees the end.</summary>
    public bool TryComplete() => inner.Writer.TryComplete();

    private sealed class CountingReader(ByteBoundedChannel<T> owner) : ChannelReader<T>
    {
        public override Task Completion => owner.inner.Reader.Completion;

        public override bool TryRead([MaybeNullWhen(false)] out T item)
        {
            if (!owner.inner.Reader.TryRead(out item))
            {
                return false;
            }
            Interlocked.Add(ref owner.queuedBytes, -owner.sizeOf(item));
            return true;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            owner.inner.Reader.WaitToReadAsync(cancellationToken);
    }
}
