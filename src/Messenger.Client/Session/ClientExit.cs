namespace Messenger.Client.Session;

/// <summary>Why the session ended and the process exit code that goes with it.</summary>
public sealed record ClientExit(int ExitCode, string Reason);
