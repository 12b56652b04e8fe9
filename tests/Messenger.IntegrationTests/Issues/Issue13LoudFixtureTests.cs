using Messenger.IntegrationTests.Harness;
using Microsoft.Extensions.Logging;

namespace Messenger.IntegrationTests.Issues;

/// <summary>Issue 13, item 6: a server error nobody expected fails the test that provoked it, instead of passing quietly.</summary>
[TestClass]
public sealed class Issue13LoudFixtureTests
{
    [TestMethod]
    public async Task AServerThatLoggedAnUnexpectedErrorFailsTheTestAtDispose()
    {
        var server = await TestServer.StartAsync();
        server.Logs.CreateLogger("Messenger.Server.Somewhere").LogError("the disk caught fire");

        var failure = await Assert.ThrowsExactlyAsync<AssertFailedException>(async () => await server.DisposeAsync());

        StringAssert.Contains(failure.Message, "the disk caught fire");
    }

    [TestMethod]
    public async Task AnErrorTheTestExpectsDoesNotFailIt()
    {
        var server = await TestServer.StartAsync();
        server.ExpectedErrors.Add("the disk caught fire");
        server.Logs.CreateLogger("Messenger.Server.Somewhere").LogError("the disk caught fire");

        await server.DisposeAsync();

        Assert.HasCount(1, server.Logs.Errors);
    }

    [TestMethod]
    public async Task ATaskThatFailedWithNobodyObservingItFailsTheTestAtDispose()
    {
        var server = await TestServer.StartAsync();
        FailUnobserved();

        var failure = await Assert.ThrowsExactlyAsync<AssertFailedException>(async () => await server.DisposeAsync());

        StringAssert.Contains(failure.Message, "nobody awaited this");
    }

    /// <summary>Starts a task that fails and drops it, in a frame of its own so nothing keeps it alive.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void FailUnobserved()
    {
        var task = Task.Run(() => throw new InvalidOperationException("nobody awaited this"));
        ((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(10)); // finished (faulted), still unobserved
    }
}
