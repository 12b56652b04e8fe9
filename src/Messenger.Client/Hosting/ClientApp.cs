using System.Net.Sockets;
using Messenger.Client.Commands;
using Messenger.Client.Session;
using Messenger.Client.Ui;
using Messenger.Protocol.Contracts;

namespace Messenger.Client.Hosting;

/// <summary>
/// The client program's flow: connect, prompt for a login until one succeeds (or the account is locked), then read
/// commands until logout, end of input, or the server ends the session. Returns the process exit code.
/// </summary>
public sealed class ClientApp(ClientOptions options, IUserInterface ui, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await using var client = new MessengerClient(options, ui, time);
        // The connection and its TLS handshake (~60 ms of a native client's start, most of it OpenSSL loading the
        // system's root store, which .NET does for every first chain even with no roots trusted) run while the first
        // prompt is shown: the user types the name meanwhile. Nothing is sent before they succeeded, and the password
        // is asked only then, so a server that fails the pin never sees it.
        var connecting = ConnectAsync(client, cancellationToken);
        var loginExit = await LogInAsync(client, connecting, cancellationToken);
        if (loginExit is not null)
        {
            return loginExit.Value;
        }
        await ReadCommandsAsync(client, cancellationToken);
        return (await client.Finished).ExitCode;
    }

    /// <summary>Null once connected; otherwise the exit code, after telling the user why.</summary>
    private async Task<int?> ConnectAsync(MessengerClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(cancellationToken);
            return null;
        }
        catch (SocketException ex)
        {
            ui.WriteLine($"Cannot connect to {options.Host}:{options.Port}: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is IOException or Connection.ServerIdentityException)
        {
            ui.WriteLine(ex.Message);
            return 1;
        }
    }

    /// <summary>
    /// The first user name, read while <paramref name="connecting"/> runs. A failed connection ends the wait at once
    /// (the pending read is left to the exiting process: a console read cannot be cancelled). Null name: end of input.
    /// </summary>
    private async Task<(string? Name, int? Exit)> FirstUserNameAsync(Task<int?> connecting, CancellationToken cancellationToken)
    {
        var reading = ui.ReadLineAsync("Username: ", secret: false, cancellationToken).AsTask();
        if (await Task.WhenAny(reading, connecting) == connecting && await connecting is { } failed)
        {
            return (null, failed);
        }
        var name = await reading;
        return (name, await connecting);
    }

    /// <summary>Null when logged in; otherwise the exit code.</summary>
    private async Task<int?> LogInAsync(MessengerClient client, Task<int?> connecting, CancellationToken cancellationToken)
    {
        var (firstName, connectExit) = await FirstUserNameAsync(connecting, cancellationToken);
        if (connectExit is not null)
        {
            return connectExit;
        }
        var first = true;
        while (true)
        {
            var userName = first ? firstName : await ui.ReadLineAsync("Username: ", secret: false, cancellationToken);
            first = false;
            if (userName is null)
            {
                return 0;
            }
            userName = userName.Trim();
            if (userName.Length == 0)
            {
                continue;
            }
            while (true)
            {
                var password = await ui.ReadLineAsync("Password: ", secret: true, cancellationToken);
                if (password is null)
                {
                    return 0;
                }
                var result = await client.LoginAsync(userName, password, options.Register);
                if (result.Reason == Reasons.NoAccount)
                {
                    if (!ui.AsksQuestions)
                    {
                        ui.WriteLine($"{result.Message} To create it, run the client with --register.");
                        break;
                    }
                    result = await SignUpAsync(client, userName, cancellationToken);
                }
                if (result.Accepted)
                {
                    return null;
                }
                ui.WriteLine(result.Message);
                switch (result.Reason)
                {
                    case Reasons.WrongPassword:
                        continue;
                    case Reasons.LockedOut or Reasons.StillLockedOut or Reasons.ServerError:
                        return 1;
                }
                break; // Unknown user, already logged in, bad name: ask for the user name again.
            }
        }
    }

    /// <summary>
    /// The name is unknown and the server allows sign-up: create the account only if the user says so and types the
    /// new password twice, so a typo in a name never makes a second account.
    /// </summary>
    private async Task<LoginResult> SignUpAsync(MessengerClient client, string userName, CancellationToken cancellationToken)
    {
        var answer = await ui.ReadLineAsync($"No account '{userName}'. Create it? (y/N) ", secret: false, cancellationToken);
        if (answer?.Trim().ToUpperInvariant() is not ("Y" or "YES"))
        {
            return new LoginResult(false, "No account was created.", Reasons.NoAccount);
        }
        var first = await ui.ReadLineAsync("New password: ", secret: true, cancellationToken);
        var second = first is null ? null : await ui.ReadLineAsync("Repeat the password: ", secret: true, cancellationToken);
        if (first is null || first != second)
        {
            return new LoginResult(false, "The two passwords differ; no account was created.", Reasons.NoAccount);
        }
        return await client.LoginAsync(userName, first, register: true);
    }

    private async Task ReadCommandsAsync(MessengerClient client, CancellationToken cancellationToken)
    {
        while (!client.Finished.IsCompleted)
        {
            var reading = ui.ReadLineAsync("> ", secret: false, cancellationToken).AsTask();
            if (await Task.WhenAny(reading, client.Finished) != reading)
            {
                return; // Timed out, kicked, or the connection gave up: stop reading.
            }
            var line = await reading;
            if (line is null)
            {
                // End of input: let owed replies arrive, then log out.
                await client.DrainOutboxAsync(options.EndOfInputGrace);
                await client.LogoutAsync();
                return;
            }
            var parsed = CommandParser.Parse(line);
            if (parsed.Error is { } error)
            {
                ui.WriteLine(error);
            }
            else if (parsed.Command is { } command)
            {
                await client.ExecuteAsync(command);
            }
        }
    }
}
