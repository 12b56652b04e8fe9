using Messenger.IntegrationTests.Harness;
using OpenQA.Selenium;

namespace Messenger.WebTests;

/// <summary>The browser client against the real server, next to terminal clients (the same server, the same frames).</summary>
[TestClass]
public sealed class BrowserChatTests
{
    [TestMethod]
    public async Task AWrongPasswordShowsTheServersRefusalAndTheRightOneOpensTheChat()
    {
        await using var server = await WebServerFixture.StartAsync();
        using var browser = new Browser(WebServerFixture.Address(server));
        browser.Open("/");
        browser.Type("login-user", "alice");
        browser.Type("login-password", "wrong");
        browser.Find("login-submit").Click();
        browser.WaitFor(() => browser.Find("login-error").Text.Length > 0, "the refusal");
        Assert.AreEqual("Invalid Password. Please try again.", browser.Find("login-error").Text);

        browser.Type("login-password", "alice-pass");
        browser.Find("login-submit").Click();
        browser.WaitFor(() => browser.Find("status").Text == "online", "alice online");
        Assert.AreEqual("alice", browser.Find("me-name").Text);
        browser.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task DirectMessagesGoBothWaysBetweenTheBrowserAndATerminalClientWithTimesAndUnreadCounts()
    {
        await using var server = await WebServerFixture.StartAsync();
        using var browser = new Browser(WebServerFixture.Address(server));
        browser.Login("alice", "alice-pass");
        await using var bob = await TestClient.LoginAsync(server, "bob");

        bob.Type("message alice Hello from the terminal, héllo 👋");
        browser.WaitFor(() => browser.Driver.FindElements(By.CssSelector("#direct-list .unread")).Any(e => e.Text == "1"), "one unread from bob");
        browser.OpenConversation("bob");
        browser.WaitForMessage("Hello from the terminal, héllo 👋");
        Assert.IsTrue(browser.Driver.FindElements(By.CssSelector("#message-list .msg .time")).All(t => t.Text.Length >= 4), "every message shows its time");

        browser.Say("Hi bob, from the browser\nsecond line");
        // The terminal shows a message's second line on a line of its own, behind the continuation mark.
        var shown = await bob.ExpectAsync("alice: Hi bob, from the browser");
        StringAssert.Contains(shown, Environment.NewLine + Messenger.Client.Ui.TextSanitizer.ContinuationPrefix + "second line");
        browser.WaitFor(() => browser.Driver.FindElements(By.CssSelector("#message-list .pending")).Count == 0, "the browser's message answered");
        Assert.IsTrue(browser.Find("p2p-note").Displayed, "the page says where private sessions and p2pDownload would be");
        browser.Screenshot("chat-direct");
        browser.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task ABrowserUserJoinsARoomAndTalksWithATerminalMember()
    {
        await using var server = await WebServerFixture.StartAsync();
        await using var bob = await OwnerOfTeamAsync(server);
        using var browser = AliceInTeam(server);
        await bob.ExpectAsync("alice joined #team");
        browser.Say("hello team");
        await bob.ExpectAsync("#team alice: hello team");
        bob.Type("message #team welcome, alice");
        browser.WaitForMessage("welcome, alice");

        browser.Find("members-button").Click();
        browser.WaitFor(() => browser.Driver.FindElements(By.CssSelector("#members .name")).Select(e => e.Text).Contains("bob (owner)"), "bob listed as the owner");
        Assert.AreEqual(1, browser.MessageTexts().Count(t => t == "hello team"), "the sender's own message is shown once");
        browser.Screenshot("chat-room");
        browser.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task ATopicSetByATerminalOwnerWhileTheRoomIsOpenShowsInTheRoomsHeader()
    {
        await using var server = await WebServerFixture.StartAsync();
        await using var bob = await OwnerOfTeamAsync(server);
        using var browser = AliceInTeam(server);
        browser.WaitFor(() => browser.Find("conv-sub").Text == "#team has no topic.", "#team without a topic");

        bob.Type("topic #team release on Friday");

        browser.WaitFor(() => browser.Find("conv-sub").Text == "Topic of #team: release on Friday", "the new topic in the header");
        browser.WaitForMessage("bob set the topic of #team: release on Friday");
        browser.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task ATerminalUsersLoginAndLogoutShowInTheBrowsersOnlineList()
    {
        await using var server = await WebServerFixture.StartAsync();
        using var browser = new Browser(WebServerFixture.Address(server));
        browser.Login("alice", "alice-pass");
        IReadOnlyList<string> Online() => browser.Driver.FindElements(By.CssSelector("#online-list .name")).Select(e => e.Text).ToList();

        var carol = await TestClient.LoginAsync(server, "carol");
        browser.WaitFor(() => Online().Contains("carol"), "carol online");
        await carol.LogoutAsync();
        await carol.DisposeAsync();
        browser.WaitFor(() => !Online().Contains("carol"), "carol gone");
        browser.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task ScriptAndMarkupInAMessageAreShownAsTextAndNeverRun()
    {
        await using var server = await WebServerFixture.StartAsync();
        using var browser = new Browser(WebServerFixture.Address(server));
        browser.Login("alice", "alice-pass");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        const string Attack = "<img src=x onerror=\"window.pwned=1\"><script>window.pwned=1</script><b>bold?</b>";

        bob.Type("message alice " + Attack);
        browser.OpenConversation("bob");
        browser.WaitForMessage("<script>window.pwned=1</script>");
        StringAssert.Contains(browser.MessageTexts()[^1], Attack);
        Assert.IsEmpty(browser.Driver.FindElements(By.CssSelector("#message-list img, #message-list script, #message-list b")), "no element was made from the text");
        Assert.IsNull(browser.Driver.ExecuteScript("return window.pwned;"), "nothing in the message ran");
        browser.AssertNoConsoleErrors();
    }

    /// <summary>alice signed in to the browser client, with #team joined and open.</summary>
    private static Browser AliceInTeam(TestServer server)
    {
        var browser = new Browser(WebServerFixture.Address(server));
        browser.Login("alice", "alice-pass");
        browser.JoinRoom("#team");
        return browser;
    }

    /// <summary>bob, on a terminal, creates #team and owns it.</summary>
    private static async Task<TestClient> OwnerOfTeamAsync(TestServer server)
    {
        var bob = await TestClient.LoginAsync(server, "bob");
        bob.Type("join #team");
        await bob.ExpectAsync("You created #team and are its owner.");
        return bob;
    }
}
