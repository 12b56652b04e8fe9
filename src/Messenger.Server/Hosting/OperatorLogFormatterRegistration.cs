using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Messenger.Server.Hosting;

/// <summary>Registers <see cref="OperatorLogFormatter"/> with the console logger.</summary>
public static class OperatorLogFormatterRegistration
{
    /// <summary>
    /// What AddConsoleFormatter does minus its binding of formatter options to configuration (reflection, so neither
    /// trimming- nor Native-AOT-safe); this formatter has no options, and the server's host reads no logging configuration.
    /// </summary>
    public static ILoggingBuilder AddOperatorFormatter(this ILoggingBuilder logging)
    {
        logging.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ConsoleFormatter, OperatorLogFormatter>());
        return logging;
    }
}
