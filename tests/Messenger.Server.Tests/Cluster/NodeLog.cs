using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Messenger.Server.Tests.Cluster;

/// <summary>
/// The in-process nodes' logger: keeps what they log at warning and above, so a test can check that a fault it causes
/// is reported as a warning and that nothing was logged as an error.
/// </summary>
public sealed class NodeLog : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Line)> kept = new();

    public IEnumerable<string> Warnings => kept.Where(entry => entry.Level == LogLevel.Warning).Select(entry => entry.Line);

    public IEnumerable<string> Errors => kept.Where(entry => entry.Level >= LogLevel.Error).Select(entry => entry.Line);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            kept.Enqueue((logLevel, $"{formatter(state, exception)} {exception?.Message}"));
        }
    }
}
