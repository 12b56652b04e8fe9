namespace Messenger.IntegrationTests.Harness;

/// <summary>
/// What one direction of a <see cref="FaultProxy"/>'s path does to the bytes: a fixed latency per chunk, a rate limit,
/// or a stall. Read for every chunk, so a change applies at once to the connections open now and to later ones (a
/// client reconnecting through a slow path still finds it slow). Thread-safe: tests change it while pipes read it.
/// </summary>
public sealed class PathShape
{
    private readonly Lock gate = new();
    private TaskCompletionSource flowing = Open();
    private TimeSpan latency;
    private long bytesPerSecond;
    private long forwarded;

    /// <summary>How long each chunk is held before it is passed on (chunks stay in order; zero: none).</summary>
    public TimeSpan Latency
    {
        get { lock (gate) { return latency; } }
        set { lock (gate) { latency = value; } }
    }

    /// <summary>The most bytes passed on per second (zero: no limit).</summary>
    public long BytesPerSecond
    {
        get { lock (gate) { return bytesPerSecond; } }
        set { lock (gate) { bytesPerSecond = value; } }
    }

    /// <summary>Bytes passed on in this direction so far, over every connection.</summary>
    public long Forwarded => Interlocked.Read(ref forwarded);

    public bool IsStalled
    {
        get { lock (gate) { return !flowing.Task.IsCompleted; } }
    }

    /// <summary>From now on nothing more is read or passed on in this direction, until <see cref="Release"/>.</summary>
    public void Stall()
    {
        lock (gate)
        {
            if (flowing.Task.IsCompleted)
            {
                flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>Ends a stall: what waited is passed on, in order, and reading resumes.</summary>
    public void Release()
    {
        TaskCompletionSource stalled;
        lock (gate)
        {
            stalled = flowing;
        }
        stalled.TrySetResult();
    }

    /// <summary>Completes at once unless stalled; then when released (or <paramref name="cancellation"/> fires).</summary>
    public Task WhenFlowingAsync(CancellationToken cancellation)
    {
        lock (gate)
        {
            return flowing.Task.IsCompleted ? Task.CompletedTask : flowing.Task.WaitAsync(cancellation);
        }
    }

    internal void CountForwarded(int bytes) => Interlocked.Add(ref forwarded, bytes);

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
