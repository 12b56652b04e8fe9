namespace Messenger.Bench;

/// <summary>MessengerSuite: the published server.dll and the bench's own protocol client.</summary>
public sealed class MessengerTarget(BenchOptions options) : IBenchTarget
{
    public string Mode => options.Tls ? "tls" : "plaintext";

    public int LoginWindow => options.LoginWindow;

    public async Task<IServerUnderTest> StartAsync(int users) => await ServerProcess.StartAsync(options.ServerDll, users, options.Tls);

    public async Task<ILoadClient> ConnectAsync(int port, int index, CancellationToken cancellation) =>
        await BenchConnection.ConnectAsync(port, options.Tls, index, cancellation);
}
