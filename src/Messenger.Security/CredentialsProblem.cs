namespace Messenger.Security;

/// <summary>A credentials file line that was skipped, and why. Messages never quote a password.</summary>
/// <param name="LineNumber">1-based line number in the file.</param>
public sealed record CredentialsProblem(int LineNumber, string Message)
{
    public override string ToString() => $"line {LineNumber}: {Message}";
}
