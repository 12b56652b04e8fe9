using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>
/// For profiling W4's idle memory: <c>BENCH_W4_INSPECT="command"</c> runs the command once W4 has measured its idle
/// RSS, while every client is still connected, with <c>SERVER_PID</c> set to the server's process id (e.g.
/// <c>dotnet-gcdump collect -p $SERVER_PID; cat /proc/$SERVER_PID/smaps_rollup</c>). Its output goes to stderr.
/// </summary>
public static class IdleInspection
{
    public static async Task RunAsync(IServerUnderTest server)
    {
        if (Environment.GetEnvironmentVariable("BENCH_W4_INSPECT") is not { Length: > 0 } command || server is not ServerProcess ours)
        {
            return;
        }
        var info = new ProcessStartInfo("/bin/bash") { ArgumentList = { "-c", command }, UseShellExecute = false };
        info.Environment["SERVER_PID"] = ours.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        info.RedirectStandardOutput = true;
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start BENCH_W4_INSPECT");
        await Console.Error.WriteAsync(await process.StandardOutput.ReadToEndAsync());
        await process.WaitForExitAsync();
    }
}
