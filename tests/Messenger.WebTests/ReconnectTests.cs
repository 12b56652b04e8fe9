using Messenger.IntegrationTests.Harness;
using OpenQA.Selenium;

namespace Messenger.WebTests;

/// <summary>The page's outbox and deduplication across a server restart: the terminal client's exactly-once, in the browser.</summary>
[TestClass]
public sealed class ReconnectTests
{
    [TestMethod]
    public async Task AServerRestartMidConversationReconnectsThePageAndNothingIsLostOrShownTwice()
    {
        await using var server = await WebServerFixture.StartAsync();
        using var browser = new Browser(WebServerFixture.Address(server));
        // While the server is down the page's reconnect attempts fail; Chromium logs each as an error.
        browser.ExpectedConsoleErrors.Add("WebSocket connection to");
        browser.Login("alice", "alice-pass");
        var bob = await TestClient.LoginAsync(server, "bob");
        bob.Type("message alice before the restart");
        browser.OpenConversation("bob");
        browser.WaitForMessage("before the restart");
        await bob.DisposeAsync();

        await server.RestartAsync(() =>
        {
            browser.WaitFor(() => browser.Find("status").Text.StartsWith("server restarting", StringComparison.Ordinal)
                || browser.Find("status").Text.StartsWith("reconnecting", StringComparison.Ordinal), "the page notices");
            browser.Say("written while the server was down");
            browser.WaitFor(() => browser.Driver.FindElements(By.CssSelector("#message-list .pending")).Count == 1, "the message waits in the outbox");
            return Task.CompletedTask;
        });

        browser.WaitFor(() => browser.Find("status").Text.StartsWith("online", StringComparison.Ordinal), "the page back online");
        await using var bobAgain = await TestClient.LoginAsync(server, "bob");
        await bobAgain.ExpectAsync("alice: written while the server was down");
        bobAgain.Type("message alice after the restart");
        browser.WaitForMessage("after the restart");
        browser.WaitFor(() => browser.Driver.FindElements(By.CssSelector("#message-list .pending")).Count == 0, "the outbox empty");

        var texts = browser.MessageTexts();
        foreach (var text in new[] { "before the restart", "written while the server was down", "after the restart" })
        {
            Assert.AreEqual(1, texts.Count(t => t == text), $"'{text}' shown exactly once in: {string.Join(" | ", texts)}");
        }
        await bobAgain.BarrierAsync();
        Assert.AreEqual(1, bobAgain.Ui.Lines.Count(l => l.Contains("written while the server was down", StringComparison.Ordinal)), "delivered once");
        browser.AssertNoConsoleErrors();
    }
}
