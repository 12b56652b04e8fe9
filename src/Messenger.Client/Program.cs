using Messenger.Client.Hosting;
using Messenger.Client.Ui;

namespace Messenger.Client;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var commandLine = new ClientCommandLine();
        var parsed = commandLine.Root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                await Console.Error.WriteLineAsync(error.Message);
            }
            await Console.Error.WriteLineAsync(ClientCommandLine.Usage);
            return 2;
        }
        if (args.Any(a => a is "--help" or "-h" or "-?" or "--version"))
        {
            return await parsed.InvokeAsync();
        }
        var options = ClientConfiguration.Build(parsed.GetValue(commandLine.Config), parsed.GetRequiredValue(commandLine.Host),
            parsed.GetValue(commandLine.Port), parsed.GetValue(commandLine.StateDirectory));
        IUserInterface ui = Console.IsInputRedirected || Console.IsOutputRedirected
            ? new LineInterface(Console.In, Console.Out)
            : new TerminalInterface();
        return await new ClientApp(options, ui, TimeProvider.System).RunAsync(CancellationToken.None);
    }
}
