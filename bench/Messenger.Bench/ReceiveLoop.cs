using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;

namespace Messenger.Bench;

/// <summary>The receiving side of one simulated connection (ours or IRC): reads until the connection ends.</summary>
public static class ReceiveLoop
{
    /// <summary>
    /// Hands each read to <paramref name="consume"/> (the bytes, whether the stream ended), which returns how far it used
    /// them; <paramref name="ended"/> runs when the connection is over, however it ended.
    /// </summary>
    public static async Task RunAsync(Stream stream, Func<ReadOnlySequence<byte>, bool, SequencePosition> consume, Action ended)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 2048, leaveOpen: true, useZeroByteReads: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                reader.AdvanceTo(consume(result.Buffer, result.IsCompleted), result.Buffer.End);
                if (result.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or SocketException or InvalidOperationException)
        {
            // The run is over.
        }
        finally
        {
            ended();
            await reader.CompleteAsync();
        }
    }
}
