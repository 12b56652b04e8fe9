using Messenger.Client.Connection;
using Messenger.Client.Hosting;
using Polly;
using Polly.Retry;

namespace Messenger.Client.Session;

/// <summary>
/// How the client retries after losing the server (Polly): exponential back-off with jitter between the configured
/// delays, for a lost connection, a refused socket or a failed TLS handshake; anything else (a refused session, an
/// untrusted key) is final. No attempts configured: one try.
/// </summary>
public static class ReconnectPolicy
{
    public static ResiliencePipeline Create(ClientOptions options, TimeProvider time)
    {
        var reconnect = new ResiliencePipelineBuilder { TimeProvider = time };
        if (options.ReconnectAttempts > 0)
        {
            reconnect.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ConnectionLostException>().Handle<System.Net.Sockets.SocketException>().Handle<IOException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.ReconnectDelay,
                MaxDelay = options.ReconnectMaxDelay,
                MaxRetryAttempts = options.ReconnectAttempts,
            });
        }
        return reconnect.Build();
    }
}
