namespace Messenger.IntegrationTests.Harness;

public static class TestDefaults
{
    /// <summary>How long a test waits for an event before failing: generous, because CI machines are slow and busy.</summary>
    public static readonly TimeSpan EventTimeout = TimeSpan.FromSeconds(20);

    public static readonly IReadOnlyDictionary<string, string> Accounts = new Dictionary<string, string>
    {
        ["alice"] = "alice-pass",
        ["bob"] = "bob-pass",
        ["carol"] = "carol-pass",
        ["dave"] = "dave-pass",
        ["erin"] = "erin-pass",
    };
}
