using Messenger.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Server.Web;

/// <summary>
/// The web front end as a hosted service: started when `Web` is set, after the core; stopped after the accept loop
/// (registered before it), whose stop has already told every session, WebSocket ones included, that the server stops.
/// </summary>
public sealed class WebService(IOptions<ServerOptions> options, ServerCoreStartup core, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private WebServer? web;

    /// <summary>The web front end's address (its real port when 0 was asked), or null when `Web` is not set.</summary>
    public Uri? Address => web?.Address;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Web is null)
        {
            return;
        }
        web = new WebServer(options.Value, core.Core, loggers);
        await web.StartAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (web is not null)
        {
            await web.DisposeAsync();
            web = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
