namespace Messenger.Bench;

/// <summary>What a workload does with the frames a connection receives (called on the connection's read loop).</summary>
public interface IReceiver
{
    /// <summary>An IncomingMessage arrived; <paramref name="text"/> is its text as UTF-8 (valid during the call).</summary>
    void OnIncoming(ILoadClient at, ReadOnlySpan<byte> text, long now);
}
