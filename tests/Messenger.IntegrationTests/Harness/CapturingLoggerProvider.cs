using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Messenger.IntegrationTests.Harness;

/// <summary>
/// Keeps every log line the server writes (at every level), so tests can search them, and its errors apart: a test
/// whose server logged an error it did not expect fails (<see cref="TestServer"/> checks at dispose).
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> lines = new();
    private readonly ConcurrentQueue<string> errors = new();

    public IReadOnlyCollection<string> Lines => lines;

    /// <summary>Lines logged at Error or Critical.</summary>
    public IReadOnlyCollection<string> Errors => errors;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, lines, errors);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines, ConcurrentQueue<string> errors) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)} {exception}";
            lines.Enqueue(line);
            if (logLevel >= LogLevel.Error)
            {
                errors.Enqueue(line);
            }
        }
    }
}
