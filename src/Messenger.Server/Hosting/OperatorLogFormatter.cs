using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Messenger.Server.Hosting;

/// <summary>
/// Log lines for the person running the server: "warning: …", one line each, no category names. With -v the
/// category (the type that logged) is kept, because then the reader is debugging.
/// </summary>
public sealed class OperatorLogFormatter() : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "operator";

    public static bool IncludeCategory { get; set; }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        var level = logEntry.LogLevel switch
        {
            LogLevel.Critical => "critical",
            LogLevel.Error => "error",
            LogLevel.Warning => "warning",
            LogLevel.Information => "info",
            _ => "debug",
        };
        var category = IncludeCategory ? $" [{logEntry.Category[(logEntry.Category.LastIndexOf('.') + 1)..]}]" : "";
        textWriter.WriteLine($"{level}{category}: {message}{(logEntry.Exception is null ? "" : Environment.NewLine + logEntry.Exception)}");
    }
}
