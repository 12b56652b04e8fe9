using Messenger.Server.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Admin;

/// <summary>
/// Runs the operator's <see cref="ServerConsole"/> on stdin while the server runs, only when <see
/// cref="ConsoleInputPolicy"/> allows reading it; its `shutdown` asks the host to stop, as Ctrl-C does. Registered
/// last, so it stops first. Console.In reads synchronously even through ReadLineAsync, so the console runs on its own
/// task, which is not awaited at stop (a blocked read of stdin cannot be cancelled); its failure is logged here and the
/// server goes on serving its users.
/// </summary>
public sealed class OperatorConsoleService(ServerCoreStartup core, IHostApplicationLifetime lifetime, ILogger<ServerConsole> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource stopping = new();

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!ConsoleInputPolicy.ShouldReadStdin())
        {
            return Task.CompletedTask;
        }
        var console = new ServerConsole(core.Core, Console.Out, () => { lifetime.StopApplication(); return Task.CompletedTask; });
        _ = Task.Run(async () =>
        {
            try
            {
                await console.RunAsync(Console.In, stopping.Token);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "The operator console failed; the server goes on without it");
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => stopping.CancelAsync();

    public void Dispose() => stopping.Dispose();
}
