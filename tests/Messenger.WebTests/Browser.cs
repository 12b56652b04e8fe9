using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace Messenger.WebTests;

/// <summary>
/// Debian's headless Chromium driven through Debian's chromedriver (never a downloaded one: CI has no internet), with
/// a fresh profile per browser. Waits are conditions with a timeout, never sleeps; the page's console errors fail the
/// test unless declared expected.
/// </summary>
public sealed class Browser : IDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string ChromeDriverPath = "/usr/bin/chromedriver";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly string profile = Path.Combine(Path.GetTempPath(), "messenger-chromium-" + Guid.NewGuid().ToString("N"));
    private readonly ChromeDriverService service;

    public Browser(Uri baseAddress)
    {
        BaseAddress = baseAddress;
        service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriverPath)!, Path.GetFileName(ChromeDriverPath));
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = ChromiumPath };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--window-size=1280,800", $"--user-data-dir={profile}");
        options.SetLoggingPreference(LogType.Browser, LogLevel.All);
        Driver = new ChromeDriver(service, options, Timeout);
    }

    public ChromeDriver Driver { get; }

    public Uri BaseAddress { get; }

    /// <summary>Console lines the test provokes on purpose (a part of the line); any other error fails it.</summary>
    public List<string> ExpectedConsoleErrors { get; } = [];

    public void Open(string path) => Driver.Navigate().GoToUrl(new Uri(BaseAddress, path));

    public IWebElement Find(string id) => Driver.FindElement(By.Id(id));

    /// <summary>Waits until <paramref name="condition"/> holds; the message says what was awaited when it never does.</summary>
    public void WaitFor(Func<bool> condition, string what)
    {
        var wait = new WebDriverWait(Driver, Timeout) { Message = what };
        wait.IgnoreExceptionTypes(typeof(StaleElementReferenceException), typeof(NoSuchElementException));
        wait.Until(_ => condition());
    }

    /// <summary>The texts of the shown messages' bodies in the open conversation.</summary>
    public IReadOnlyList<string> MessageTexts() =>
        Driver.FindElements(By.CssSelector("#message-list .msg .text")).Select(e => e.Text).ToList();

    public void WaitForMessage(string text) =>
        WaitFor(() => MessageTexts().Any(t => t.Contains(text, StringComparison.Ordinal)), $"a message containing '{text}'");

    public void Login(string user, string password)
    {
        Open("/");
        Find("login-user").SendKeys(user);
        Find("login-password").SendKeys(password);
        Find("login-submit").Click();
        WaitFor(() => Find("status").Text.StartsWith("online", StringComparison.Ordinal), $"{user} signed in");
    }

    public void Type(string id, string text)
    {
        var field = Find(id);
        field.Clear();
        field.SendKeys(text);
    }

    /// <summary>Types a message (Shift+Enter for each line break) and sends it with Enter.</summary>
    public void Say(string text)
    {
        var box = Find("composer-text");
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                box.SendKeys(Keys.Shift + Keys.Enter + Keys.Shift);
            }
            box.SendKeys(lines[i]);
        }
        box.SendKeys(Keys.Enter);
    }

    /// <summary>Joins (or creates) <paramref name="room"/> from the sidebar's field and waits until it is open.</summary>
    public void JoinRoom(string room)
    {
        Type("join-room", room);
        Find("join-room").SendKeys(Keys.Enter);
        WaitFor(() => Find("conv-title").Text == room, $"{room} open");
    }

    /// <summary>Clicks the sidebar entry named <paramref name="name"/> (a room, a conversation or an online user).</summary>
    public void OpenConversation(string name)
    {
        WaitFor(() => Driver.FindElements(By.CssSelector(".sidebar li .name")).Any(e => e.Text == name), $"{name} in the sidebar");
        Driver.FindElements(By.CssSelector(".sidebar li .name")).First(e => e.Text == name).Click();
        WaitFor(() => Find("conv-title").Text == name, $"{name} open");
    }

    public string Screenshot(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    /// <summary>Fails when the page logged an error the test did not expect.</summary>
    public void AssertNoConsoleErrors()
    {
        var errors = Driver.Manage().Logs.GetLog(LogType.Browser)
            .Where(entry => entry.Level == LogLevel.Severe)
            .Select(entry => entry.Message)
            .Where(message => !ExpectedConsoleErrors.Any(part => message.Contains(part, StringComparison.Ordinal)))
            .ToList();
        Assert.IsEmpty(errors, "The page logged errors:\n  " + string.Join("\n  ", errors));
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        service.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile as it exits: the temp folder is cleaned by the OS.
        }
    }
}
