using System.Net.Sockets;
using Polly;
using Polly.Retry;

namespace Messenger.Client.Peers;

/// <summary>
/// The retry policy for reaching a peer (private sessions and swarm downloads alike): a refused or timed-out connect is
/// tried twice more with backoff and jitter, so an unreachable peer is reported within a few seconds.
/// </summary>
public static class PeerRetry
{
    public static ResiliencePipeline Create(TimeProvider time) => new ResiliencePipelineBuilder { TimeProvider = time }
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<SocketException>().Handle<TimeoutException>().Handle<IOException>(),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(200),
            MaxRetryAttempts = 2,
        })
        .Build();
}
