using Messenger.Server.History;
using Microsoft.Extensions.Logging.Abstractions;

namespace Messenger.Server.Tests.History;

/// <summary>Writes nobody waits for: owned, drained, and bounded.</summary>
[TestClass]
public sealed class WriteBehindTests
{
    [TestMethod]
    public async Task PastTheBoundWritesAreDroppedAndCountedAndTheQueuedOnesStillComplete()
    {
        var writeBehind = new WriteBehind(NullLogger.Instance);
        var disk = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = 0;

        for (var i = 0; i < WriteBehind.MaxInFlight + 3; i++)
        {
            writeBehind.Run("a test write", async () =>
            {
                await disk.Task;
                Interlocked.Increment(ref written);
            });
        }
        Assert.AreEqual(3, writeBehind.Dropped);
        disk.SetResult();

        Assert.IsTrue(await writeBehind.DrainAsync(TimeSpan.FromSeconds(20)));
        Assert.AreEqual(WriteBehind.MaxInFlight, written);
        writeBehind.Run("one more after the backlog cleared", () => ValueTask.CompletedTask);
        Assert.AreEqual(3, writeBehind.Dropped, "room again once the queue drained");
    }
}
