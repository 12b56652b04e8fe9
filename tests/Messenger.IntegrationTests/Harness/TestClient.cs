using Messenger.Client.Hosting;

namespace Messenger.IntegrationTests.Harness;

/// <summary>A real client (the same ClientApp the executable runs) whose keyboard and screen are scripted.</summary>
public sealed class TestClient : IAsyncDisposable
{
    private TestClient(ScriptedInterface ui, Task<int> run)
    {
        Ui = ui;
        Run = run;
    }

    public ScriptedInterface Ui { get; }

    /// <summary>Completes with the exit code when the client program ends.</summary>
    public Task<int> Run { get; }

    /// <param name="pipeMode">Answer like pipe mode (no questions asked) instead of like a terminal.</param>
    public static TestClient Start(TestServer server, Func<ClientOptions, ClientOptions>? configure = null, bool pipeMode = false)
    {
        var options = new ClientOptions
        {
            Host = "127.0.0.1",
            Port = server.Port,
            StateDirectory = Path.Combine(server.Root, "client-" + Guid.NewGuid().ToString("N")),
            ReconnectDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            ReconnectAttempts = 40,
            Plaintext = server.Options.Plaintext,
        };
        var ui = new ScriptedInterface { AsksQuestions = !pipeMode };
        var app = new ClientApp(configure?.Invoke(options) ?? options, ui, TimeProvider.System);
        return new TestClient(ui, Task.Run(() => app.RunAsync(CancellationToken.None)));
    }

    /// <summary>Starts a client and logs in with the sample password; waits for the welcome.</summary>
    public static async Task<TestClient> LoginAsync(TestServer server, string user, Func<ClientOptions, ClientOptions>? configure = null)
    {
        var client = Start(server, configure);
        client.Type(user);
        client.Type(TestDefaults.Accounts[user]);
        await client.Ui.WaitForLineAsync($"{user}");
        return client;
    }

    public void Type(string line) => Ui.Type(line);

    /// <summary>Types logout and waits for the goodbye.</summary>
    public async Task LogoutAsync()
    {
        Type("logout");
        await ExpectAsync("Goodbye!");
    }

    public Task<string> ExpectAsync(string text) => Ui.WaitForLineAsync(text);

    public async Task<int> ExitCodeAsync() => await Run.WaitAsync(TestDefaults.EventTimeout);

    /// <summary>
    /// A round trip through the server: everything the server queued for this client before it answers is shown by
    /// the time this returns. Lets a test prove that something was NOT shown, without sleeping.
    /// </summary>
    public async Task BarrierAsync()
    {
        var marker = "barrier-" + Guid.NewGuid().ToString("N")[..8];
        Type($"block {marker}");
        await ExpectAsync($"Invalid user: {marker}");
    }

    public async ValueTask DisposeAsync()
    {
        Ui.CloseInput();
        try
        {
            await Run.WaitAsync(TestDefaults.EventTimeout);
        }
        catch (TimeoutException)
        {
            // The test already failed or moved on; the client's task is abandoned with the test's server.
        }
    }
}
