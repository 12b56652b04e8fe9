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
}
