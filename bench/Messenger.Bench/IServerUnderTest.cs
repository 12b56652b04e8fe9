namespace Messenger.Bench;

/// <summary>A server process a workload measures (ours or an IRC daemon): where it listens, its CPU and memory.</summary>
public interface IServerUnderTest : IDisposable
{
    /// <summary>The port the simulated users connect to.</summary>
    int ClientPort { get; }

    TimeSpan CpuTime();

    long RssKiB();

    /// <summary>kill -9 (F1 kills a node under load).</summary>
    void KillHard();
}
