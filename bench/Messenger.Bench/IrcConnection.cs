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
    private readonly BatchedSender outbound = new();
    private readonly TaskCompletionSource<bool> registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private RandomPeer random;
    private long received;
    private long sent;
    private long roomAnswers;
    private long roomRefusals;
    private Task? reading;

    private IrcConnection(Socket socket, int index)
    {
        this.socket = socket;
        Index = index;
        random = new RandomPeer(index);
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
            connection.outbound.Start(new NetworkStream(socket, ownsSocket: false));
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
        lock (outbound.Gate)
        {
            for (var i = 0; i < count; i++)
            {
                var to = random.Next(users);
                Utf8.TryWrite(line, $"PRIVMSG u{to + 1:D5} :{Index:D5}.{stamp:D20}.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", out var length);
                outbound.Writer.Write(line[..length]);
            }
            sent += count;
            outbound.Flush();
        }
    }

    public void JoinRoom() => WriteLine($"JOIN {BenchConnection.Room}\r\n");

    public void SendToRoom(int count, long stamp)
    {
        Span<byte> line = stackalloc byte[160];
        lock (outbound.Gate)
        {
            for (var i = 0; i < count; i++)
            {
                Utf8.TryWrite(line, $"PRIVMSG {BenchConnection.Room} :{Index:D5}.{stamp:D20}.{i:D6}.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n", out var length);
                outbound.Writer.Write(line[..length]);
            }
            sent += count;
            outbound.Flush();
        }
    }

    private void WriteLine(string text)
    {
        lock (outbound.Gate)
        {
            outbound.Writer.Write(System.Text.Encoding.ASCII.GetBytes(text));
            outbound.Flush();
        }
    }

    private Task ReadLoopAsync() =>
        ReceiveLoop.RunAsync(new NetworkStream(socket, ownsSocket: false), OnReceived, () => registered.TrySetResult(false));

    /// <summary>Handles every whole line of one read.</summary>
    private SequencePosition OnReceived(ReadOnlySequence<byte> buffer, bool completed)
    {
        var now = Stopwatch.GetTimestamp();
        while (buffer.PositionOf((byte)'\n') is { } end)
        {
            OnLine(buffer.Slice(0, end), now);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
        }
        return buffer.Start;
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
        await outbound.CloseAsync(() => socket.Shutdown(SocketShutdown.Both), socket, reading);
    }
}
