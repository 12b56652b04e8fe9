using Messenger.Security;

namespace Messenger.Server.Hosting;

/// <summary>
/// `server hash-password`: reads a password from stdin (not echoed on a terminal) and prints the line to put after
/// the user name in the credentials file.
/// </summary>
public static class PasswordHashCommand
{
    public static async Task<int> RunAsync(CancellationToken cancellation)
    {
        string? password;
        if (Console.IsInputRedirected)
        {
            password = await Console.In.ReadLineAsync(cancellation);
        }
        else
        {
            await Console.Error.WriteAsync("Password: ");
            password = ReadHidden();
            await Console.Error.WriteLineAsync();
        }
        if (string.IsNullOrEmpty(password))
        {
            await Console.Error.WriteLineAsync("No password given.");
            return 2;
        }
        Console.WriteLine(PasswordHasher.Hash(password));
        return 0;
    }

    private static string ReadHidden()
    {
        var typed = new System.Text.StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                return typed.ToString();
            }
            if (key.Key == ConsoleKey.Backspace && typed.Length > 0)
            {
                typed.Length--;
            }
            else if (!char.IsControl(key.KeyChar))
            {
                typed.Append(key.KeyChar);
            }
        }
    }
}
