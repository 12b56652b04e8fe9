using Messenger.Server.Hosting;

namespace Messenger.Server.Tests.Hosting;

/// <summary>
/// Issue 13, item 5: the server's command line is System.CommandLine's alone (subcommand, validation, help); a wrong
/// one prints its errors and the usage on stderr and exits with 2 without starting anything (README).
/// </summary>
[TestClass]
public sealed class ServerCommandLineTests : IDisposable
{
    private readonly List<ServerArguments> serverRuns = [];
    private int hashRuns;
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    public void Dispose()
    {
        output.Dispose();
        error.Dispose();
    }

    private Task<int> InvokeAsync(params string[] args)
    {
        var commandLine = new ServerCommandLine(
            (arguments, _) => { serverRuns.Add(arguments); return Task.FromResult(17); },
            _ => { hashRuns++; return Task.FromResult(23); });
        return commandLine.InvokeAsync(args, output, error);
    }

    [TestMethod]
    public async Task ValidArgumentsRunTheServerWithThemAndItsExitCodeIsTheProgramsExitCode()
    {
        var exit = await InvokeAsync("4000", "60", "300", "--listen", "127.0.0.1", "--credentials", "c.txt", "--data-dir", "d",
            "--config", "s.json", "--plaintext", "-v");

        Assert.AreEqual(17, exit);
        Assert.AreEqual(new ServerArguments(4000, 60, 300)
        {
            ListenAddress = "127.0.0.1", CredentialsPath = "c.txt", DataDirectory = "d", ConfigPath = "s.json", Plaintext = true, Verbose = true,
        }, serverRuns.Single());
        Assert.AreEqual("", error.ToString());
    }

    [TestMethod]
    public async Task OptionsLeftOutAreNullOrFalseSoTheSettingsFileDecides()
    {
        await InvokeAsync("4000", "60", "300");

        Assert.AreEqual(new ServerArguments(4000, 60, 300), serverRuns.Single());
    }

    [TestMethod]
    public async Task ClusterOptionsReachTheServerAsClusterArguments()
    {
        await InvokeAsync("4000", "60", "300", "--cluster", "--node-id", "n1", "--postgres", "Host=db", "--redis", "bus:6379");

        Assert.AreEqual(new ClusterArguments(true, "n1", "Host=db", "bus:6379"), serverRuns.Single().Cluster);
    }

    [TestMethod]
    [DataRow(new string[0], "Required argument 'port' missing", DisplayName = "nothing")]
    [DataRow(new[] { "4000", "60" }, "Required argument 'timeout' missing", DisplayName = "timeout missing")]
    [DataRow(new[] { "http", "60", "300" }, "port must be a whole number from 1 to 65535 (got 'http').", DisplayName = "non-numeric port")]
    [DataRow(new[] { "70000", "60", "300" }, "port must be a whole number from 1 to 65535 (got '70000').", DisplayName = "port out of range")]
    [DataRow(new[] { "4000", "sixty", "300" }, "blocktime must be a whole number of seconds greater than 0 (got 'sixty').", DisplayName = "non-numeric blocktime")]
    [DataRow(new[] { "4000", "0", "300" }, "blocktime must be a whole number of seconds greater than 0 (got '0').", DisplayName = "zero blocktime")]
    [DataRow(new[] { "4000", "60", "-5" }, "timeout must be a whole number of seconds greater than 0 (got '-5').", DisplayName = "negative timeout")]
    [DataRow(new[] { "4000", "60", "300", "--frobnicate" }, "Unrecognized command or argument '--frobnicate'.", DisplayName = "unknown option")]
    [DataRow(new[] { "4000", "60", "300", "extra" }, "Unrecognized command or argument 'extra'.", DisplayName = "a fourth argument")]
    public async Task AWrongCommandLineNamesTheProblemPrintsTheUsageAndExitsWithTwoWithoutRunningAnything(string[] args, string problem)
    {
        var exit = await InvokeAsync(args);

        Assert.AreEqual(ServerCommandLine.UsageExitCode, exit);
        Assert.AreEqual(2, exit, "README promises 2");
        var lines = error.ToString().Split(Environment.NewLine);
        Assert.IsTrue(lines.Any(line => line.StartsWith(problem, StringComparison.Ordinal)), $"'{problem}' in:\n{error}");
        StringAssert.Contains(error.ToString(), "Usage: server <port> <blocktime> <timeout>");
        Assert.AreEqual(0, serverRuns.Count + hashRuns);
        Assert.AreEqual("", output.ToString(), "stdout stays clean for scripts");
    }

    [TestMethod]
    [DataRow("--help")]
    [DataRow("-h")]
    public async Task HelpDescribesEveryArgumentOptionAndSubcommandOnStdoutAndExitsWithZero(string flag)
    {
        var exit = await InvokeAsync(flag);

        Assert.AreEqual(0, exit);
        foreach (var part in new[] { "<port>", "<blocktime>", "<timeout>", "--credentials", "--data-dir", "--listen", "--config", "--plaintext", "--verbose", "hash-password" })
        {
            StringAssert.Contains(output.ToString(), part);
        }
        Assert.AreEqual(0, serverRuns.Count + hashRuns);
    }

    [TestMethod]
    public async Task HashPasswordIsASubcommandThatNeedsNoPortAndRunsInsteadOfTheServer()
    {
        var exit = await InvokeAsync("hash-password");

        Assert.AreEqual(23, exit);
        Assert.AreEqual(1, hashRuns);
        Assert.AreEqual(0, serverRuns.Count);
    }

    [TestMethod]
    public async Task HashPasswordTakesNoArguments()
    {
        var exit = await InvokeAsync("hash-password", "secret");

        Assert.AreEqual(2, exit);
        StringAssert.Contains(error.ToString(), "'secret'", "a password on the command line would land in the shell history");
        Assert.AreEqual(0, hashRuns);
    }
}
