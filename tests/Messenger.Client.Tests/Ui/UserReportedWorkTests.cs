using Messenger.Client.Tests.Support;
using Messenger.Client.Ui;

namespace Messenger.Client.Tests.Ui;

/// <summary>The client's background work reports what failed to the user, not to nobody.</summary>
[TestClass]
public sealed class UserReportedWorkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task ReportingToTheUserWritesALineThatSaysWhatFailed()
    {
        var ui = new RecordingInterface();
        var work = UserReportedWork.Create(ui);

        work.Run("reporting activity", () => Task.FromException(new IOException("disk full")));
        await work.DrainAsync(Timeout);

        Assert.AreEqual("Internal error while reporting activity: IOException: disk full", await ui.WaitForLineAsync("Internal error", Timeout));
    }
}
