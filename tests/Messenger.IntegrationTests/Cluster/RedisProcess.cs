using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Messenger.IntegrationTests.Cluster;

/// <summary>
/// A redis-server of the test's own on a free loopback port, without persistence (as the cluster runs it), so a test
/// can restart it without disturbing another. Ready when it says so on stdout: no polling.
/// </summary>
public sealed class RedisProcess : IAsyncDisposable
{
    private Process? process;

    private RedisProcess(int port) => Port = port;

    public int Port { get; }

    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>Where redis-server is, or null (the test is then inconclusive, or fails where engines are required).</summary>
    public static string? FindBinary() =>
        new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists);

    /// <summary>
    /// Returns when redis-server is installed; otherwise the test is inconclusive, or fails where the engines are
    /// required (CI sets MESSENGER_TEST_ENGINES_REQUIRED=1).
    /// </summary>
    public static void RequireInstalled()
    {
        if (FindBinary() is not null)
        {
            return;
        }
        const string Message = "redis-server is not installed; `scripts/cluster.sh engines` installs it.";
        if (Environment.GetEnvironmentVariable("MESSENGER_TEST_ENGINES_REQUIRED") == "1")
        {
            Assert.Fail(Message);
        }
        Assert.Inconclusive(Message);
    }

    public static async Task<RedisProcess> StartAsync()
    {
        var redis = new RedisProcess(FreePort());
        await redis.StartAgainAsync();
        return redis;
    }

    /// <summary>Starts (again, on the same port, empty: as after a restart without saving).</summary>
    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo(FindBinary() ?? throw new InvalidOperationException("redis-server is not installed."))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--bind", "127.0.0.1", "--port", Port.ToString(), "--save", "", "--appendonly", "no", "--dir", Path.GetTempPath() })
        {
            info.ArgumentList.Add(argument);
        }
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process = Process.Start(info) ?? throw new InvalidOperationException("Could not start redis-server.");
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(Harness.TestDefaults.EventTimeout);
    }

    /// <summary>kill -9: Redis loses everything it held.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false } running)
        {
            running.Kill();
            await running.WaitForExitAsync();
        }
        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
