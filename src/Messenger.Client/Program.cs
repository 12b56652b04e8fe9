using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Messenger.Client.Hosting;
using Messenger.Client.Ui;

namespace Messenger.Client;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var commandLine = new ClientCommandLine();
        commandLine.Root.SetAction((parsed, _) => RunAsync(commandLine, parsed));
        var parsed = commandLine.Root.Parse(args);
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }
            await Console.Error.WriteLineAsync(ClientCommandLine.Usage);
            return 2;
        }
        // The parser runs the client, or its --help or --version; Ctrl-C stays the client's own (no termination timeout).
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }

    private static async Task<int> RunAsync(ClientCommandLine commandLine, ParseResult parsed)
    {
        var options = ClientConfiguration.Build(parsed.GetValue(commandLine.Config), parsed.GetRequiredValue(commandLine.Host),
            parsed.GetValue(commandLine.Port), parsed.GetValue(commandLine.StateDirectory), parsed.GetValue(commandLine.Trust),
            parsed.GetValue(commandLine.Plaintext), parsed.GetValue(commandLine.Servers));
        if (parsed.GetValue(commandLine.Register))
        {
            options = options with { Register = true };
        }
        if (parsed.GetValue(commandLine.Forget))
        {
            var trust = new Connection.ServerTrust(options.ResolveStateDirectory(), options.Host, options.Port, null);
            Console.WriteLine(trust.Forget()
                ? $"Forgot the pinned key of {options.Host}:{options.Port}; the next connection pins the key it presents."
                : $"No key was pinned for {options.Host}:{options.Port}.");
            return 0;
        }
        IUserInterface ui = Console.IsInputRedirected || Console.IsOutputRedirected
            ? new LineInterface(Console.In, Console.Out)
            : new TerminalInterface();
        return await new ClientApp(options, ui, TimeProvider.System).RunAsync(CancellationToken.None);
    }
}
