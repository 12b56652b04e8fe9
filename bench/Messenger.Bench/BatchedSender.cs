using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Net.WebSockets;

namespace Messenger.Bench;

/// <summary>
/// The sending side of one simulated connection (ours or IRC): callers append under <see cref="Gate"/> to an unbounded
/// in-memory pipe and <see cref="Flush"/>; one writer loop drains it, so whatever accumulated leaves in one socket write.
/// </summary>
/// <param name="gate">The lock appends take (<see cref="Gate"/>); a connection that replaces its sender on a new link
/// passes its own, so one lock covers every link it had.</param>
public sealed class BatchedSender(Lock? gate = null)
{
    private readonly Pipe pipe = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 16 * 1024,
        readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
    private Task? writing;

    /// <summary>Held while appending, so frames or lines from several threads never interleave.</summary>
    public Lock Gate { get; } = gate ?? new();

    public PipeWriter Writer => pipe.Writer;

    public void Start(Stream stream) => writing = WriteLoopAsync(stream);

    /// <summary>Wakes the writer. The pipe never pauses (pauseWriterThreshold 0), so this completes at once.</summary>
    public void Flush()
    {
        var flush = pipe.Writer.FlushAsync();
        Debug.Assert(flush.IsCompleted, "an unpaused pipe flushes synchronously");
#pragma warning disable VSTHRD002 // Completed already (asserted above): this only observes the result.
        flush.GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
    }

    /// <summary>
    /// Ends the connection: no more sends, the transport shut both ways (<paramref name="shutDown"/>: a socket's shutdown,
    /// a WebSocket's abort) and disposed, both loops given 5 s to notice.
    /// </summary>
    public async Task CloseAsync(Action shutDown, IDisposable transport, Task? reading)
    {
        await pipe.Writer.CompleteAsync();
        try
        {
            shutDown();
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or WebSocketException)
        {
            // Already gone.
        }
        transport.Dispose();
        await Task.WhenAll(reading ?? Task.CompletedTask, writing ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private async Task WriteLoopAsync(Stream stream)
    {
        var reader = pipe.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    await stream.WriteAsync(segment);
                }
                reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // The run is over (or the server closed the connection: the lost count shows it).
        }
        finally
        {
            await reader.CompleteAsync();
        }
    }
}
