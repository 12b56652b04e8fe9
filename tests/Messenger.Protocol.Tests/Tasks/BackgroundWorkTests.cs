using Messenger.Protocol.Tasks;

namespace Messenger.Protocol.Tests.Tasks;

/// <summary>The owner of background work: nothing fails unseen, shutdown waits for what runs.</summary>
[TestClass]
public sealed class BackgroundWorkTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [TestMethod]
    public async Task AFailureIsReportedOnceWithWhatTheWorkWas()
    {
        var failures = new List<(string What, Exception Failure)>();
        var work = new BackgroundWork((what, failure) => failures.Add((what, failure)));

        work.Run("answering a holder query", async () =>
        {
            await Task.Yield();
            throw new InvalidDataException("bad manifest");
        });
        Assert.IsTrue(await work.DrainAsync(Timeout));

        Assert.HasCount(1, failures);
        Assert.AreEqual("answering a holder query", failures[0].What);
        Assert.IsInstanceOfType<InvalidDataException>(failures[0].Failure);
    }

    [TestMethod]
    public async Task DrainWaitsForWorkStillRunning()
    {
        var work = new BackgroundWork((_, failure) => throw new AssertFailedException(failure.Message));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        work.Run("waiting", () => release.Task);

        var drain = work.DrainAsync(Timeout);
        Assert.IsFalse(drain.IsCompleted, "the work has not finished");
        Assert.AreEqual(1, work.Running);
        release.SetResult();

        Assert.IsTrue(await drain);
        Assert.AreEqual(0, work.Running, "finished work is forgotten");
    }

    [TestMethod]
    public async Task DrainGivesUpAfterItsTimeoutAndSaysSo()
    {
        var work = new BackgroundWork((_, failure) => throw new AssertFailedException(failure.Message));
        var never = new TaskCompletionSource();
        work.Run("never ending", () => never.Task);

        Assert.IsFalse(await work.DrainAsync(TimeSpan.FromMilliseconds(1)));
        Assert.AreEqual(1, work.Running);
    }
}
