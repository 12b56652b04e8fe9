namespace Messenger.Bench;

/// <summary>MessengerSuite: the published server.dll and the bench's own protocol client, over TCP or the web port's WebSocket.</summary>
public sealed class MessengerTarget(BenchOptions options) : IBenchTarget
{
    public string Mode => options.Mode;

    public int LoginWindow => options.LoginWindow;

    public async Task<IServerUnderTest> StartAsync(int users) => await ServerProcess.StartAsync(options.ServerDll, users, options.Tls, web: options.WebSocket);

    public async Task<ILoadClient> ConnectAsync(int port, int index, CancellationToken cancellation) =>
        await BenchConnection.ConnectAsync(port, options.Tls, options.WebSocket, index, cancellation);
}
