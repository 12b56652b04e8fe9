using System.Net;
using Messenger.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace Messenger.Server.Web;

/// <summary>
/// The web front end, in the server's own process (Kestrel): the embedded browser client at /, the WebSocket at /ws,
/// the operator dashboard at /admin, Prometheus metrics at /metrics. Started and stopped by its owner (the server
/// host) beside the TCP listener; it holds no chat state of its own.
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    /// <summary>No inline script or style anywhere, nothing from another origin; the WebSocket is 'self'.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private readonly ServerOptions options;
    private readonly ServerCore chat;
    private readonly ILoggerFactory loggers;
    private readonly WebSocketGateway gateway;
    private readonly EmbeddedAssets assets = new();
    private readonly Func<Connections.OutboundDepth> measureOutbound;
    private WebApplication? app;

    public WebServer(ServerOptions options, ServerCore chat, ILoggerFactory loggers)
    {
        this.options = options;
        this.chat = chat;
        this.loggers = loggers;
        gateway = new WebSocketGateway(chat, loggers, options.WebAllowedOrigins);
        measureOutbound = () => Connections.OutboundDepth.Measure(chat.Sessions.All);
    }

    /// <summary>The address the web front end listens on (the real port when 0 was asked).</summary>
    public Uri? Address { get; private set; }

    public async Task StartAsync()
    {
        var endPoint = WebAddress.Parse(options.Web ?? throw new InvalidOperationException("Web is not configured."));
        if (WebAddress.Refusal(options, endPoint) is { } refusal)
        {
            throw new InvalidOperationException(refusal);
        }
        var certificate = WebCertificate.Load(options);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        // The dashboard's posted forms are read with generated code (the Native AOT build has no reflection-based JSON).
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        // The server's own instruments only (not Kestrel's): what an operator of a chat server graphs.
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(ServerMetrics.MeterName).AddPrometheusExporter());
        // Kestrel's transport runs reads and writes where the socket's completion runs (a thread-pool thread: the server
        // leaves .NET's inline socket completions off) instead of handing each through an IOQueue and a pipe hop to the
        // thread pool, so the web path has TCP's hops. Nothing slow runs there: a login's password hash is on the thread
        // pool (PasswordCheck). This transport serves the web port only (the chat port is our own listener).
        builder.WebHost.UseSockets(sockets => sockets.UnsafePreferInlineScheduling = true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endPoint, listen =>
            {
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var web = builder.Build();
        web.Use(SecurityHeaders);
        web.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(20) });
        web.Map("/ws", gateway.HandleAsync);
        new AdminApi(chat, new AdminSessions(chat.Time)).Map(web);
        web.MapPrometheusScrapingEndpoint("/metrics");
        web.MapGet("/", context => assets.ServeAsync(context, "index.html"));
        web.MapGet("/admin", context => assets.ServeAsync(context, "admin.html"));
        web.MapGet("/favicon.ico", context => assets.ServeAsync(context, "favicon.svg"));
        web.MapGet("/{file}", (HttpContext context, string file) => assets.ServeAsync(context, file));
        await web.StartAsync();
        app = web;
        ServerMetrics.ObserveOutbound(measureOutbound);
        var bound = web.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(bound);
    }

    /// <summary>Ends WebSocket sessions as the TCP host ends its own: drained (a notice first), or cut at once.</summary>
    public void CloseAll(bool abort) => gateway.CloseAll(abort);

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            ServerMetrics.StopObservingOutbound(measureOutbound);
            gateway.CloseAll(abort: true);
            await app.StopAsync();
            await app.DisposeAsync();
            app = null;
        }
    }

    private static Task SecurityHeaders(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return next();
    }
}
