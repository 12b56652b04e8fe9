using System.Collections.Concurrent;

namespace Messenger.Server.Cluster;

/// <summary>
/// Questions to other nodes that wait for an answer (a takeover, a peer's endpoint, a node's file holders): each gets
/// a call id that the answer carries back, and a deadline on the server's clock. A node that died does not answer;
/// its callers hear <see cref="TimeoutException"/> and decide what that means.
/// </summary>
public sealed class ClusterCalls<T>(TimeProvider time)
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource<T>> calls = new();
    private long nextCall;

    /// <summary>Sends the question (<paramref name="send"/> gets its call id) and waits up to <paramref name="timeout"/> for the answer.</summary>
    public async Task<T> AskAsync(Action<long> send, TimeSpan timeout)
    {
        var call = Interlocked.Increment(ref nextCall);
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        calls[call] = answer;
        try
        {
            // Kept before it is sent: the answer may come back before Send returns.
            send(call);
            return await answer.Task.WaitAsync(timeout, time);
        }
        finally
        {
            calls.TryRemove(call, out _);
        }
    }

    /// <summary>An answer arrived; one for a call that already gave up is dropped.</summary>
    public void Answer(long call, T value)
    {
        if (calls.TryGetValue(call, out var answer))
        {
            answer.TrySetResult(value);
        }
    }
}
