using Microsoft.Extensions.Hosting;

namespace Messenger.IntegrationTests.Harness;

/// <summary>
/// The test servers' host lifetime: started and stopped by the test alone. The executable's ConsoleLifetime would
/// hook SIGINT/SIGTERM of the test runner, once per server the run starts.
/// </summary>
public sealed class TestLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
