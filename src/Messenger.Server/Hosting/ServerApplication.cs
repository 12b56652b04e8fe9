using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography.X509Certificates;
using Messenger.Server.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Messenger.Server.Hosting;

/// <summary>
/// The server as a Generic Host: the one place that says what runs and in which order. Hosted services start in the
/// order registered and stop in reverse: the core is loaded first (credentials, then the store: SQLite, or PostgreSQL and
/// the cluster in cluster mode); the sweep, then the accept loop start; at stop the accept loop goes first (stop
/// accepting, tell everyone, drain, abort), then the sweep, then the core (flush, leave the cluster); the container then
/// disposes the core's startup, which closes the store, and the certificate. The program and the integration tests build
/// the same host; they differ only in clock, log sinks and what <paramref name="configure"/> adds (the program: the
/// operator console; the tests: a lifetime that leaves the test runner's signals alone).
/// </summary>
public static class ServerApplication
{
    /// <summary>The longest a stop may take: two drain windows of the accept loop and some slack.</summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(15);

    public static IHost Build(ServerOptions options, TimeProvider time, Action<ILoggingBuilder> logging, Action<IServiceCollection>? configure = null)
    {
        // Empty: no appsettings.json, DOTNET_ variables or default log providers; ServerConfiguration already read ours.
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        logging(builder.Logging);
        // A failed start is explained by Program in one line; the host's own error would repeat it with a stack trace.
        // Critical stays: the host logs a background service that died and stopped the server at that level.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        var services = builder.Services;
        services.Configure<HostOptions>(host => host.ShutdownTimeout = ShutdownTimeout);
        services.Configure<ConsoleLifetimeOptions>(console => console.SuppressStatusMessages = true);
        services.AddSingleton<IOptionsFactory<ServerOptions>>(provider => new ServerOptionsFactory(options,
            provider.GetServices<IConfigureOptions<ServerOptions>>(), provider.GetServices<IPostConfigureOptions<ServerOptions>>(),
            provider.GetServices<IValidateOptions<ServerOptions>>()));
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddOptions<ServerOptions>().ValidateOnStart();
        services.AddSingleton(time);
        services.AddSingleton<ICredentialStore>(provider => FileCredentialStore.Load(
            provider.GetRequiredService<IOptions<ServerOptions>>().Value.CredentialsPath, provider.GetRequiredService<ILogger<FileCredentialStore>>()));
        services.AddSingleton<X509Certificate2>(provider => ServerCertificate.Load(provider.GetRequiredService<IOptions<ServerOptions>>().Value));
        AddHosted<ServerCoreStartup>(services);
        AddHosted<SweepService>(services);
        // Before the accept loop, so it stops after it: the accept loop's stop tells every session (WebSocket ones too).
        AddHosted<Web.WebService>(services);
        AddHosted<AcceptLoopService>(services);
        configure?.Invoke(services);
        return builder.Build();
    }

    /// <summary>A hosted service that can also be asked for by its type (the tests and Program read its state).</summary>
    private static void AddHosted<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TService>(IServiceCollection services)
        where TService : class, IHostedService
    {
        services.AddSingleton<TService>();
        services.AddHostedService(provider => provider.GetRequiredService<TService>());
    }
}
