using Messenger.Server.Hosting;

namespace Messenger.Server.Tests.Hosting;

/// <summary>The server's process keeps two thread-pool workers per core ready, and never fewer than it was given.</summary>
[TestClass]
public sealed class ThreadPoolFloorTests
{
    [TestMethod]
    public void ApplyRaisesTheWorkerMinimumToTwoPerCoreLeavesCompletionPortsAndNeverLowersAHigherMinimum()
    {
        ThreadPool.GetMinThreads(out var workersBefore, out var portsBefore);
        try
        {
            Assert.IsTrue(ThreadPool.SetMinThreads(1, portsBefore));
            ThreadPoolFloor.Apply(processorCount: 3);
            ThreadPool.GetMinThreads(out var raised, out var ports);
            Assert.AreEqual(6, raised);
            Assert.AreEqual(portsBefore, ports);

            Assert.IsTrue(ThreadPool.SetMinThreads(10, portsBefore));
            ThreadPoolFloor.Apply(processorCount: 3);
            ThreadPool.GetMinThreads(out var kept, out _);
            Assert.AreEqual(10, kept);
        }
        finally
        {
            ThreadPool.SetMinThreads(workersBefore, portsBefore);
        }
    }
}
