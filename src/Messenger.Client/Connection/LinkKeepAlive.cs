using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Connection;

/// <summary>
/// The keep-alive of a <see cref="ServerLink"/>: after <c>interval</c> of silence from the server, one ping; no answer
/// within <c>timeout</c> ends the link (<see cref="ServerLink.FailUnanswered"/>). Pings never count as user activity.
/// </summary>
internal static class LinkKeepAlive
{
    /// <param name="framesReceived">How many frames the server has sent so far: unchanged over a tick means silence.</param>
    /// <param name="ended">Cancelled when the link ends for any reason: the loop ends with it.</param>
    public static async Task RunAsync(ServerLink link, TimeSpan interval, TimeSpan timeout, TimeProvider time, Func<long> framesReceived,
        CancellationToken ended)
    {
        using var timer = new PeriodicTimer(interval, time);
        var seen = framesReceived();
        try
        {
            while (await timer.WaitForNextTickAsync(ended))
            {
                if (framesReceived() is var now && now != seen)
                {
                    seen = now;
                    continue; // The server spoke during this interval: the path works.
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
