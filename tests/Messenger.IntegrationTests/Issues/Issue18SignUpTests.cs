using Messenger.IntegrationTests.Harness;

namespace Messenger.IntegrationTests.Issues;

/// <summary>Issue 18: with AllowRegistration on, an unknown name becomes an account only when the user asks for it.</summary>
[TestClass]
public sealed class Issue18SignUpTests
{
    private const string Question = "No account 'alcie'. Create it? (y/N) ";

    [TestMethod]
    public async Task ATypodNameWithRegistrationOnCreatesNothingWithoutTheConfirmation()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowRegistration = true });
        var before = await File.ReadAllTextAsync(server.Options.CredentialsPath);
        await using var alice = TestClient.Start(server);
        alice.Type("alcie");
        alice.Type("alice-pass");
        await alice.Ui.WaitForPromptAsync(Question, 1);
        alice.Type(""); // Enter: the default is no.
        await alice.ExpectAsync("No account was created.");
        await alice.Ui.WaitForPromptAsync("Username: ", 2);
        alice.Type("alice");
        alice.Type("alice-pass");
        await alice.ExpectAsync("Welcome to MessengerSuite, alice!");

        Assert.AreEqual(before, await File.ReadAllTextAsync(server.Options.CredentialsPath), "no account was added");
        Assert.IsNull(server.Chat.Sessions.Find("alcie"));
        Assert.IsFalse(alice.Ui.Lines.Any(l => l.Contains("account is new", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task ConfirmingAsksThePasswordTwiceAndTheWelcomeSaysTheAccountIsNew()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowRegistration = true });
        await using var alcie = TestClient.Start(server);
        alcie.Type("alcie");
        alcie.Type("first-try");
        alcie.Type("y");
        alcie.Type("new-secret");
        alcie.Type("new-secreT");
        await alcie.ExpectAsync("The two passwords differ; no account was created.");
        Assert.IsFalse((await File.ReadAllTextAsync(server.Options.CredentialsPath)).Contains("alcie", StringComparison.Ordinal));

        alcie.Type("alcie");
        alcie.Type("new-secret");
        alcie.Type("yes");
        alcie.Type("new-secret");
        alcie.Type("new-secret");
        await alcie.ExpectAsync("Welcome to MessengerSuite, alcie! Your account is new: it was created just now.");
        CollectionAssert.IsSubsetOf(new[] { "New password: ", "Repeat the password: " }, alcie.Ui.Prompts.ToList());
        await alcie.LogoutAsync();

        await using var again = TestClient.Start(server);
        again.Type("alcie");
        again.Type("new-secret");
        await again.ExpectAsync("Welcome to MessengerSuite, alcie!");
        await again.BarrierAsync();
        Assert.IsFalse(again.Ui.Lines.Any(l => l.Contains("account is new", StringComparison.Ordinal)), "only the first login is new");
    }

    [TestMethod]
    public async Task PipeModeIsToldAboutRegisterAndRegisterCreatesTheAccount()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowRegistration = true });
        await using (var script = TestClient.Start(server, pipeMode: true))
        {
            script.Type("newbie");
            script.Type("pipe-pass");
            await script.ExpectAsync("No account 'newbie'. To create it, run the client with --register.");
            Assert.IsFalse(script.Ui.Prompts.Any(p => p.Contains("Create it?", StringComparison.Ordinal)), "a pipe is never asked");
        }
        Assert.IsFalse((await File.ReadAllTextAsync(server.Options.CredentialsPath)).Contains("newbie", StringComparison.Ordinal));

        await using var registering = TestClient.Start(server, o => o with { Register = true }, pipeMode: true);
        registering.Type("newbie");
        registering.Type("pipe-pass");
        await registering.ExpectAsync("Welcome to MessengerSuite, newbie! Your account is new");
        StringAssert.Contains(await File.ReadAllTextAsync(server.Options.CredentialsPath), "newbie $pbkdf2-sha256$");
    }

    [TestMethod]
    public async Task RegisterOnAnExistingNameIsAnOrdinaryLoginAndOnAClosedServerIsRefused()
    {
        await using (var open = await TestServer.StartAsync(o => o with { AllowRegistration = true }))
        {
            await using var alice = TestClient.Start(open, o => o with { Register = true }, pipeMode: true);
            alice.Type("alice");
            alice.Type("wrong");
            await alice.ExpectAsync("Invalid Password");
            alice.Type("alice-pass");
            await alice.ExpectAsync("Welcome to MessengerSuite, alice!");
        }

        await using var closed = await TestServer.StartAsync();
        await using var newbie = TestClient.Start(closed, o => o with { Register = true }, pipeMode: true);
        newbie.Type("newbie");
        newbie.Type("pass");
        await newbie.ExpectAsync("Unknown user name 'newbie'. This server does not allow sign-up; ask its operator for an account.");
    }

    [TestMethod]
    public async Task GuestNamesCannotBeRegistered()
    {
        await using var server = await TestServer.StartAsync(o => o with { AllowRegistration = true });
        await using var client = TestClient.Start(server, o => o with { Register = true }, pipeMode: true);
        client.Type("guest-7");
        client.Type("pass");
        await client.ExpectAsync("'guest-7' is reserved for guests; choose another name.");
    }
}
