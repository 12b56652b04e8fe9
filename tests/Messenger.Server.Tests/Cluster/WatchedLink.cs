using System.Buffers;
using System.Text.Json.Serialization.Metadata;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Transport;
using Messenger.Server.Sessions;
using Messenger.Server.Tests.Sessions;

namespace Messenger.Server.Tests.Cluster;

/// <summary>
/// A client link for in-process cluster tests: frames arrive from bus readers on other threads, so it records them
/// under a lock and lets a test wait for a matching frame (with a timeout, never a sleep).
/// </summary>
public sealed class WatchedLink : IClientLink
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private readonly List<(FrameType Type, uint RequestId, byte[] Payload)> frames = [];
    private TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string RemoteAddress => "127.0.0.1";

    public bool IsOpen { get; private set; } = true;

    public bool TrySend(ReadOnlyMemory<byte> frame, OutboundLane lane = OutboundLane.Control)
    {
        var sent = SentFrame.Decode(frame);
        TaskCompletionSource signal;
        lock (gate)
        {
            if (!IsOpen)
            {
                return false;
            }
            frames.Add((sent.Type, sent.RequestId, sent.Payload));
            signal = arrived;
            arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        signal.TrySetResult();
        return true;
    }

    public void Close(string reason) => IsOpen = false;

    public void Abort(string reason) => IsOpen = false;

    /// <summary>Every frame of <paramref name="type"/> so far, decoded.</summary>
    public List<T> All<T>(FrameType type, JsonTypeInfo<T> info)
        where T : class
    {
        lock (gate)
        {
            return [.. frames.Where(f => f.Type == type).Select(f => Decode(f.Payload, info))];
        }
    }

    /// <summary>
    /// Waits for a frame of <paramref name="type"/> that matches: the first such frame (also one already here), or the
    /// <paramref name="occurrence"/>th.
    /// </summary>
    public async Task<T> ExpectAsync<T>(FrameType type, JsonTypeInfo<T> info, Func<T, bool>? match = null, int occurrence = 1)
        where T : class
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            Task next;
            lock (gate)
            {
                var matched = 0;
                foreach (var frame in frames.Where(f => f.Type == type))
                {
                    var value = Decode(frame.Payload, info);
                    if ((match?.Invoke(value) ?? true) && ++matched == occurrence)
                    {
                        return value;
                    }
                }
                next = arrived.Task;
            }
            try
            {
                await next.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No {type} frame matching the expectation arrived within {Patience.TotalSeconds} s.");
            }
        }
    }

    private static T Decode<T>(byte[] payload, JsonTypeInfo<T> info)
        where T : class
    {
        Assert.IsTrue(PayloadReader.TryRead(new ReadOnlySequence<byte>(payload), info, out var value));
        return value;
    }
}
