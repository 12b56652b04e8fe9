using System.Security.Cryptography.X509Certificates;
using Messenger.Server.Auth;
using Messenger.Server.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Server.Hosting;

/// <summary>
/// The first hosted service: loads the credentials file and what survived the last run (blocks, lockouts, last-seen
/// times) and builds the <see cref="ServerCore"/>, before anything can connect. The credentials come first (a missing
/// file stops the start before the data folder is touched: FileNotFoundException, which Program explains). At stop it
/// flushes what the core writes behind.
/// </summary>
public sealed class ServerCoreStartup(IOptions<ServerOptions> options, TimeProvider time, ICredentialStore credentials, IServerStore store,
    X509Certificate2 identity, ILoggerFactory loggers) : IHostedService
{
    private static readonly TimeSpan WriteBehindDrainTimeout = TimeSpan.FromSeconds(5);

    private ServerCore? core;

    /// <summary>The application core; there from the end of this service's start.</summary>
    public ServerCore Core => core ?? throw new InvalidOperationException("The server has not started.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The key signs private-session tickets even in plaintext mode; only TLS needs it on the wire.
        core = await ServerCore.CreateAsync(options.Value, time, credentials, store, loggers.CreateLogger<ServerCore>(), identity);
    }

    /// <summary>
    /// Registered first, so it stops last: every connection has ended and the sweep has stopped. What was written behind
    /// reaches the store before the container closes it: room positions, then the history queued last.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (core is null)
        {
            return;
        }
        await core.RoomPositions.FlushAsync();
        await core.WriteBehind.DrainAsync(WriteBehindDrainTimeout);
    }
}
