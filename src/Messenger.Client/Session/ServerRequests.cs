using System.Text.Json.Serialization.Metadata;
using Messenger.Client.Connection;
using Messenger.Client.Ui;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Client.Session;

/// <summary>A request to the server whose refusal is shown as the server worded it, and whose success a command handles.</summary>
/// <param name="link">The current server link (null or closed while reconnecting).</param>
internal sealed class ServerRequests(IUserInterface ui, Func<ServerLink?> link)
{
    /// <summary>Sends a request and shows its error, or hands a success to <paramref name="onSuccess"/>.</summary>
    public async Task RequestAsync<T>(FrameType type, T payload, JsonTypeInfo<T> typeInfo, Action<ReceivedFrame> onSuccess)
    {
        if (link() is not { } current || current.Closed.IsCompleted)
        {
            ui.WriteLine("Not connected to the server right now; try again in a moment.");
            return;
        }
        try
        {
            var reply = await current.RequestAsync(type, payload, typeInfo);
            if (reply.AsResponse() is { Status: not StatusCode.Ok } error)
            {
                ui.WriteLine(error.Message);
                return;
            }
            onSuccess(reply);
        }
        catch (ConnectionLostException)
        {
            ui.WriteLine("The connection was lost before the server answered; try again once reconnected.");
        }
    }

    /// <summary>Shows a plain response's message.</summary>
    public void ShowResponse(ReceivedFrame reply)
    {
        if (reply.AsResponse() is { } response)
        {
            ui.WriteLine(response.Message);
        }
    }
}
