namespace Messenger.Bench;

/// <summary>
/// An IRC daemon as the bench's target. Logins in flight, as the anchors found each needs: ngIRCd accepts one connection
/// per wake-up of its listening socket (backlog 10), so more than ~8 in flight overflow it and stall on SYN retries;
/// InspIRCd completes registrations only on its once-a-second tick, so it needs many in flight.
/// </summary>
public sealed class IrcTarget(string daemon, string configDirectory, int? loginWindow) : IBenchTarget
{
    public string Mode => daemon;

    public int LoginWindow => loginWindow ?? (daemon == "ngircd" ? 8 : 1000);

    public async Task<IServerUnderTest> StartAsync(int users) => await IrcServerProcess.StartAsync(daemon, configDirectory);

    public async Task<ILoadClient> ConnectAsync(int port, int index, CancellationToken cancellation) =>
        await IrcConnection.ConnectAsync(port, index, cancellation);
}
