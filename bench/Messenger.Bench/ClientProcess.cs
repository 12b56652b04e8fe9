using System.Diagnostics;

namespace Messenger.Bench;

/// <summary>
/// The real client (the published client.dll under dotnet, or the Native AOT client binary) as its own process in pipe mode, so its CPU is its own in /proc: logged
/// in on 127.0.0.1 as one bench user, its peer listener on 127.0.0.1, with its own share, download and state folders.
/// Every output line is kept with the Stopwatch time it arrived, and can be awaited (always with a deadline).
/// </summary>
public sealed class ClientProcess : IDisposable
{
    private readonly Process process;
    private readonly List<(long At, string Text)> lines = [];
    private readonly Lock gate = new();
    private TaskCompletionSource lineArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ClientProcess(Process process, string user)
    {
        this.process = process;
        User = user;
    }

    public string User { get; }

    public int Pid => process.Id;

    /// <summary>
    /// Starts the client and logs in as bench user <paramref name="index"/>; returns once the server welcomed it.
    /// <paramref name="clientPath"/> is a client.dll (run by dotnet, JIT) or any other file, run as it is (the native client).
    /// </summary>
    public static async Task<ClientProcess> StartAsync(string clientPath, int serverPort, bool tls, int index, string folder,
        string shareDirectory, TimeSpan deadline)
    {
        Directory.CreateDirectory(folder);
        var info = PublishedApp.StartInfo(clientPath, folder);
        foreach (var argument in new[] { "127.0.0.1", serverPort.ToString(), "--state-dir", Path.Combine(folder, "state") }
                     .Concat(tls ? [] : new[] { "--plaintext" }))
        {
            info.ArgumentList.Add(argument);
        }
        info.Environment["MESSENGER_Client__LocalAddress"] = "127.0.0.1";
        info.Environment["MESSENGER_Client__ShareDirectory"] = shareDirectory;
        info.Environment["MESSENGER_Client__DownloadDirectory"] = Path.Combine(folder, "downloads");
        // The generator's own runtime settings are not the client's (as for the server).
        info.Environment.Remove("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS");
        // For experiments: BENCH_CLIENT_X=v sets X=v for the clients only (e.g. BENCH_CLIENT_DOTNET_gcServer=1).
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("BENCH_CLIENT_", StringComparison.Ordinal)).ToList())
        {
            info.Environment[key["BENCH_CLIENT_".Length..]] = info.Environment[key];
            info.Environment.Remove(key);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start a client");
        var client = new ClientProcess(process, BenchConnection.UserName(index));
        process.OutputDataReceived += (_, e) => client.Add(e.Data);
        process.ErrorDataReceived += (_, e) => client.Add(e.Data is null ? null : "stderr: " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            client.Type(client.User);
            client.Type(BenchConnection.Password(index));
            await client.WaitForLineAsync("Welcome", deadline);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public void Type(string line)
    {
        process.StandardInput.WriteLine(line);
        process.StandardInput.Flush();
    }

    public TimeSpan CpuTime() => ProcStat.CpuTime(process.Id);

    /// <summary>
    /// The first line (from the start) containing one of <paramref name="texts"/>, with the Stopwatch time it arrived.
    /// TimeoutException after <paramref name="deadline"/>, carrying the last lines seen.
    /// </summary>
    public async Task<(long At, string Text)> WaitForLineAsync(string[] texts, TimeSpan deadline, int from = 0)
    {
        using var cancel = new CancellationTokenSource(deadline);
        while (true)
        {
            Task signal;
            lock (gate)
            {
                for (var i = from; i < lines.Count; i++)
                {
                    if (texts.Any(t => lines[i].Text.Contains(t, StringComparison.Ordinal)))
                    {
                        return lines[i];
                    }
                }
                signal = lineArrived.Task;
            }
            try
            {
                await signal.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{User}: none of [{string.Join(", ", texts)}] within {deadline.TotalSeconds:0} s; last lines: {LastLines()}");
            }
        }
    }

    public Task<(long At, string Text)> WaitForLineAsync(string text, TimeSpan deadline) => WaitForLineAsync([text], deadline);

    /// <summary>How many lines arrived so far (to wait only for lines after this point).</summary>
    public int LineCount
    {
        get
        {
            lock (gate)
            {
                return lines.Count;
            }
        }
    }

    private string LastLines()
    {
        lock (gate)
        {
            return string.Join(" | ", lines.TakeLast(5).Select(l => l.Text));
        }
    }

    private void Add(string? text)
    {
        if (text is null)
        {
            return;
        }
        TaskCompletionSource previous;
        lock (gate)
        {
            lines.Add((Stopwatch.GetTimestamp(), text));
            previous = lineArrived;
            lineArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }

    public void Dispose()
    {
        ProcessEnd.Kill(process);
    }
}
