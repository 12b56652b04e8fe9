using System.Diagnostics;

namespace Messenger.IntegrationTests.Harness;

/// <summary>
/// One of the real executables (server.dll / client.dll, copied next to the tests) as a separate process, with its
/// stdin scripted and its stdout/stderr lines recorded and awaitable.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly ScriptedInterface stdout = new();
    private readonly ScriptedInterface stderr = new();

    private ChildProcess(Process process)
    {
        this.process = process;
    }

    public ScriptedInterface Output => stdout;

    public ScriptedInterface Errors => stderr;

    public int Id => process.Id;

    public static ChildProcess Start(string assembly, string workingDirectory, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, assembly));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["XDG_STATE_HOME"] = Path.Combine(workingDirectory, "state");
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {assembly}.");
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { child.stdout.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { child.stderr.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    public void Type(string line)
    {
        process.StandardInput.WriteLine(line);
        process.StandardInput.Flush();
    }

    public void CloseInput() => process.StandardInput.Close();

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(TestDefaults.EventTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new AssertFailedException("The process did not exit. Output:\n  " + string.Join("\n  ", stdout.Lines) + "\nErrors:\n  " + string.Join("\n  ", stderr.Lines));
        }
        return process.ExitCode;
    }

    /// <summary>Sends a signal with kill(1), e.g. STOP and CONT to pause the process as a VM pause or a long stall would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.AreEqual(0, kill.ExitCode, $"kill -{signal} {process.Id}");
    }

    /// <summary>SIGKILL: no cleanup, no flush, exactly like `kill -9`.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }
        process.Dispose();
    }
}
