using System.Net;
using System.Net.WebSockets;
using Messenger.IntegrationTests.Harness;
using Messenger.Server.Web;
using OpenQA.Selenium;

namespace Messenger.WebTests;

/// <summary>The operator dashboard, and the web front end's refusals of other sites' requests.</summary>
[TestClass]
public sealed class DashboardTests
{
    [TestMethod]
    public async Task AnOperatorSignsInSeesUsersAndRoomsAndKicksATerminalUser()
    {
        await using var server = await WebServerFixture.StartAsync();
        await using var bob = await TestClient.LoginAsync(server, "bob");
        bob.Type("join #ops");
        await bob.ExpectAsync("You created #ops and are its owner.");
        using var browser = new Browser(WebServerFixture.Address(server));
        browser.Open("/admin");
        browser.Type("admin-user", "alice");
        browser.Type("admin-password", "alice-pass");
        browser.Find("admin-submit").Click();

        IReadOnlyList<string> Rows(string list) => browser.Driver.FindElements(By.CssSelector($"#{list} li b")).Select(e => e.Text).ToList();
        browser.WaitFor(() => Rows("users").Contains("bob"), "bob online on the dashboard");
        browser.WaitFor(() => Rows("rooms").Contains("#ops"), "#ops listed");
        browser.WaitFor(() => browser.Find("fig-connections").Text == "1", "one connection counted");
        StringAssert.Contains(browser.Driver.FindElements(By.CssSelector("#rooms li")).Single().Text, "1 member · public · owner bob");
        browser.Screenshot("dashboard");

        browser.Driver.FindElements(By.CssSelector("#users li")).First(li => li.Text.Contains("bob", StringComparison.Ordinal))
            .FindElement(By.TagName("button")).Click();
        await bob.ExpectAsync("disconnected by the server operator");
        browser.WaitFor(() => browser.Find("admin-result").Text == "bob was disconnected.", "the kick confirmed");
        browser.WaitFor(() => !Rows("users").Contains("bob"), "bob gone from the list");
        browser.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task AUserNotInAdminUsersIsRefusedTheDashboard()
    {
        await using var server = await WebServerFixture.StartAsync();
        using var browser = new Browser(WebServerFixture.Address(server));
        browser.ExpectedConsoleErrors.Add("403");
        browser.Open("/admin");
        browser.Type("admin-user", "bob");
        browser.Type("admin-password", "bob-pass");
        browser.Find("admin-submit").Click();
        browser.WaitFor(() => browser.Find("admin-error").Text.Length > 0, "the refusal");
        Assert.AreEqual("bob is not an operator (AdminUsers).", browser.Find("admin-error").Text);
        Assert.IsFalse(browser.Find("dashboard").Displayed);
        browser.AssertNoConsoleErrors();
    }

    [TestMethod]
    public async Task ACrossSiteActionAndAnActionWithoutTheCsrfTokenAreRefusedAndChangeNothing()
    {
        await using var server = await WebServerFixture.StartAsync();
        await using var bob = await TestClient.LoginAsync(server, "bob");
        using var admin = new AdminHttp(WebServerFixture.Address(server));
        using var loggedIn = await admin.LoginAsync("alice", "alice-pass");
        Assert.AreEqual(HttpStatusCode.OK, loggedIn.StatusCode);
        var csrf = admin.Csrf!;
        var cookie = loggedIn.Headers.GetValues("Set-Cookie").Single();
        StringAssert.Contains(cookie, "httponly");
        StringAssert.Contains(cookie, "samesite=strict");

        Task<HttpStatusCode> KickAsync(string origin, string? token) => admin.ActAsync("kick", new { user = "bob" }, origin, token);

        Assert.AreEqual(HttpStatusCode.Forbidden, await KickAsync("http://evil.example", csrf), "another site's page, even with the token");
        Assert.AreEqual(HttpStatusCode.Forbidden, await KickAsync(admin.Origin, null), "no CSRF token");
        Assert.AreEqual(HttpStatusCode.Forbidden, await KickAsync(admin.Origin, (csrf[0] == '0' ? "1" : "0") + csrf[1..]), "a wrong CSRF token");
        Assert.IsNotNull(server.Chat.Sessions.Find("bob"), "bob is still online");
        Assert.AreEqual(HttpStatusCode.OK, await KickAsync(admin.Origin, csrf), "the dashboard's own request");
        await bob.ExpectAsync("disconnected by the server operator");
    }

    [TestMethod]
    public async Task AWebSocketFromAForeignOriginIsRefusedAndOneFromThePageItselfIsAccepted()
    {
        await using var server = await WebServerFixture.StartAsync();
        var site = WebServerFixture.Address(server);
        var socketAddress = new Uri($"ws://{site.Authority}/ws");

        using var foreign = new ClientWebSocket();
        foreign.Options.SetRequestHeader("Origin", "http://evil.example");
        foreign.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsExactlyAsync<WebSocketException>(() => foreign.ConnectAsync(socketAddress, CancellationToken.None));
        Assert.AreEqual(HttpStatusCode.Forbidden, foreign.HttpStatusCode);

        using var own = new ClientWebSocket();
        own.Options.SetRequestHeader("Origin", site.GetLeftPart(UriPartial.Authority));
        await own.ConnectAsync(socketAddress, CancellationToken.None);
        Assert.AreEqual(WebSocketState.Open, own.State);
        await own.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [TestMethod]
    public async Task MetricsAreExportedInPrometheusTextFormatWithTheServersInstruments()
    {
        await using var server = await WebServerFixture.StartAsync();
        await using var alice = await TestClient.LoginAsync(server, "alice");
        await using var bob = await TestClient.LoginAsync(server, "bob");
        alice.Type("message bob counted");
        await bob.ExpectAsync("alice: counted");
        using var http = new HttpClient { BaseAddress = WebServerFixture.Address(server) };
        using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        StringAssert.StartsWith(response.Content.Headers.ContentType!.MediaType, "text/plain");
        foreach (var name in new[] { "messenger_connections", "messenger_frames_in", "messenger_frames_out", "messenger_deliveries", "messenger_store_commit_duration" })
        {
            StringAssert.Contains(text, name, $"{name} exported");
        }
    }
}
