using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Connection;

/// <summary>
/// The keep-alive of a <see cref="ServerLink"/>: after <c>interval</c> of silence from the server, one ping; no answer
/// within <c>timeout</c> ends the link (<see cref="ServerLink.FailUnanswered"/>). Pings never count as user activity.
/// </summary>
internal static class LinkKeepAlive
{
    /// <param name="sinceLastFrame">How long ago the server last sent anything.</param>
    /// <param name="ended">Cancelled when the link ends for any reason: the loop ends with it.</param>
    public static async Task RunAsync(ServerLink link, TimeSpan interval, TimeSpan timeout, TimeProvider time, Func<TimeSpan> sinceLastFrame,
        CancellationToken ended)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(ended))
            {
                if (sinceLastFrame() < interval)
                {
                    continue; // The server spoke recently: the path works.
                }
                await link.RequestAsync(FrameType.Ping, new PingRequest(), ProtocolJsonContext.Default.PingRequest).WaitAsync(timeout, time, ended);
            }
        }
        catch (TimeoutException)
        {
            link.FailUnanswered(timeout);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ConnectionLostException)
        {
            // The link ended for another reason.
        }
    }
}
