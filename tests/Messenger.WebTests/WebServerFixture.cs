using Messenger.IntegrationTests.Harness;

namespace Messenger.WebTests;

/// <summary>A test server with the web front end on a loopback port of the system's choosing; alice is an operator.</summary>
public static class WebServerFixture
{
    public static Task<TestServer> StartAsync() =>
        TestServer.StartAsync(o => o with { Web = "127.0.0.1:0", AdminUsers = ["alice"] });

    public static Uri Address(TestServer server) => server.WebAddress ?? throw new InvalidOperationException("No web front end.");
}
