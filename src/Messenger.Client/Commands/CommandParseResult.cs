namespace Messenger.Client.Commands;

/// <summary>Either a command, an error for the user, or nothing (an empty line).</summary>
public readonly record struct CommandParseResult(ClientCommand? Command, string? Error)
{
    public static CommandParseResult Empty => default;

    public static CommandParseResult Ok(ClientCommand command) => new(command, null);

    public static CommandParseResult Fail(string error) => new(null, error);
}
