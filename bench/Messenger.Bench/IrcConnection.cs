using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Unicode;

namespace Messenger.Bench;

/// <summary>
/// One simulated user speaking IRC (RFC 1459/2812, plaintext, no IRCv3 capabilities), for the same workloads as our
/// protocol: registers with NICK/USER and waits for 001, sends PRIVMSG to a nick (W1, W2) or to #bench (W3, W3b),
/// answers PING, and counts every PRIVMSG it receives. Nick and text are those of <see cref="BenchConnection"/>, so
/// receipts parse the same. Like it, sends go into an unbounded pipe under a lock and one writer drains it, so what
/// accumulated leaves in one socket write. IRC acknowledges nothing, so nothing is acknowledged.
/// </summary>
public sealed class IrcConnection : ILoadClient
{
    private readonly Socket socket;
    private readonly Pipe outbound = new(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 16 * 1024,
        readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
    private readonly Lock writeGate = new();
    private readonly TaskCompletionSource<bool> registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ulong random;
    private long received;
    private long sent;
    private long roomAnswers;
    private long roomRefusals;
    private Task? reading;
    private Task? writing;

    private IrcConnection(Socket socket, int index)
    {
        this.socket = socket;
        Index = index;
        random = (ulong)index * 0x9E3779B97F4A7C15UL + 1;
    }

    public int Index { get; }

    public IReceiver? Receiver { get; set; }

    public long Received => Interlocked.Read(ref received);

    public long Sent => Interlocked.Read(ref sent);

    public long RoomAnswers => Interlocked.Read(ref roomAnswers);

    public long RoomRefusals => Interlocked.Read(ref roomRefusals);

    /// <summary>Connects to 127.0.0.1 and registers as nick <see cref="BenchConnection.UserName"/>(<paramref name="index"/>).</summary>
    public static async Task<IrcConnection> ConnectAsync(int port, int index, CancellationToken cancellation)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync("127.0.0.1", port, cancellation);
            var connection = new IrcConnection(socket, index);
            connection.reading = connection.ReadLoopAsync();
            connection.writing = connection.WriteLoopAsync();
            var nick = BenchConnection.UserName(index);
            connection.WriteLine($"NICK {nick}\r\nUSER {nick} 0 * :bench\r\n");
            if (!await connection.registered.Task.WaitAsync(cancellation))
            {
                throw new InvalidOperationException($"{nick} could not register.");
            }
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void SendToRandom(int count, int users, long stamp)
    {
        Span<byte> line = stackalloc byte[160];
        lock (writeGate)
        {
            for (var i = 0; i < count; i++)
            {
                random ^= random << 13;
                random ^= random >> 7;
                random ^= random << 17;
                var to = (int)(random % (ulong)(users - 1));
                if (to >= Index)
                {
                    to++;
                }
                Utf8.TryWrite(line, $"PRIVMSG u{to + 1:D5} :{Index:D5}.{stamp:D20}.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", out var length);
                outbound.Writer.Write(line[..length]);
            }
            sent += count;
            Flush();
        }
    }

    public void JoinRoom() => WriteLine($"JOIN {BenchConnection.Room}\r\n");

    public void SendToRoom(int count, long stamp)
    {
        Span<byte> line = stackalloc byte[160];
        lock (writeGate)
        {
            for (var i = 0; i < count; i++)
            {
                Utf8.TryWrite(line, $"PRIVMSG {BenchConnection.Room} :{Index:D5}.{stamp:D20}.{i:D6}.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", out var length);
                outbound.Writer.Write(line[..length]);
            }
            sent += count;
            Flush();
        }
    }

    private void WriteLine(string text)
    {
        lock (writeGate)
        {
            outbound.Writer.Write(System.Text.Encoding.ASCII.GetBytes(text));
            Flush();
        }
    }

    private void Flush()
    {
        // Never pauses (pauseWriterThreshold 0): completes at once and only wakes the writer.
        var flush = outbound.Writer.FlushAsync();
        Debug.Assert(flush.IsCompleted, "an unpaused pipe flushes synchronously");
#pragma warning disable VSTHRD002 // Completed already (asserted above): this only observes the result.
        flush.GetAwaiter().GetResult();
#pragma warning restore VSTHRD002
    }

    private async Task WriteLoopAsync()
    {
        var reader = outbound.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                foreach (var segment in result.Buffer)
                {
                    await socket.SendAsync(segment);
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

    private async Task ReadLoopAsync()
    {
        var reader = PipeReader.Create(new NetworkStream(socket, ownsSocket: false),
            new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 2048, useZeroByteReads: true));
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync();
                var buffer = result.Buffer;
                var now = Stopwatch.GetTimestamp();
                while (buffer.PositionOf((byte)'\n') is { } end)
                {
                    OnLine(buffer.Slice(0, end), now);
                    buffer = buffer.Slice(buffer.GetPosition(1, end));
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
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
            registered.TrySetResult(false);
            await reader.CompleteAsync();
        }
    }

    private void OnLine(ReadOnlySequence<byte> sequence, long now)
    {
        Span<byte> copy = stackalloc byte[1024];
        var length = (int)Math.Min(sequence.Length, copy.Length);
        ReadOnlySpan<byte> line = sequence.IsSingleSegment ? sequence.FirstSpan[..length] : CopyTo(sequence, copy[..length]);
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }
        if (line.StartsWith("PING"u8))
        {
            WriteLine("PONG" + System.Text.Encoding.ASCII.GetString(line[4..]) + "\r\n");
            return;
        }
        // ":prefix COMMAND params": the command is the second word of a line with a prefix.
        var rest = line[0] == ':' && line.IndexOf((byte)' ') is > 0 and var space ? line[(space + 1)..] : line;
        var commandEnd = rest.IndexOf((byte)' ');
        var command = commandEnd < 0 ? rest : rest[..commandEnd];
        if (command.SequenceEqual("PRIVMSG"u8))
        {
            var textAt = rest.IndexOf(" :"u8);
            Interlocked.Increment(ref received);
            Receiver?.OnIncoming(this, textAt < 0 ? default : rest[(textAt + 2)..], now);
        }
        else if (command.SequenceEqual("001"u8))
        {
            registered.TrySetResult(true);
        }
        else if (command.SequenceEqual("366"u8))
        {
            Interlocked.Increment(ref roomAnswers); // End of NAMES: the join is complete.
        }
        else if (command.Length == 3 && command[0] is (byte)'4' or (byte)'5')
        {
            // An error numeric: before registration the nick was refused, after it a join or a message was.
            if (!registered.TrySetResult(false))
            {
                Interlocked.Increment(ref roomRefusals);
            }
        }
    }

    private static ReadOnlySpan<byte> CopyTo(ReadOnlySequence<byte> sequence, Span<byte> target)
    {
        sequence.Slice(0, target.Length).CopyTo(target);
        return target;
    }

    public async ValueTask DisposeAsync()
    {
        await outbound.Writer.CompleteAsync();
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already gone.
        }
        socket.Dispose();
        await Task.WhenAll(reading ?? Task.CompletedTask, writing ?? Task.CompletedTask).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }
}
