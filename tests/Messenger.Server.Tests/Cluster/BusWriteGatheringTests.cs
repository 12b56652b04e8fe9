using Messenger.Server.Cluster;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.Cluster;

/// <summary>
/// The bus writer's gathering (ClusterOptions.WriteGather): items that come one or two at a time are written at once;
/// once a drain finds three or more waiting, the next drain waits the gathering time, and so on while drains find two
/// or more; a drain of one or a large drain ends that.
/// </summary>
[TestClass]
public sealed class BusWriteGatheringTests
{
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(1);

    [TestMethod]
    public void ItemsComingOneAtATimeAreDrainedWithoutWaiting()
    {
        var gathering = new BusWriteGathering(Gather, new FakeTimeProvider());

        Assert.IsTrue(gathering.BeforeDrainAsync(CancellationToken.None).IsCompleted, "the first drain");
        gathering.Drained(1);
        Assert.IsTrue(gathering.BeforeDrainAsync(CancellationToken.None).IsCompleted, "after a drain of one item");
    }

    [TestMethod]
    public void ADrainOfTwoItemsDoesNotStartAGathering()
    {
        var gathering = new BusWriteGathering(Gather, new FakeTimeProvider());

        gathering.Drained(2);

        Assert.IsTrue(gathering.BeforeDrainAsync(CancellationToken.None).IsCompleted);
    }

    [TestMethod]
    public void OnceGatheringADrainOfTwoItemsKeepsItOn()
    {
        var gathering = new BusWriteGathering(Gather, new FakeTimeProvider());
        gathering.Drained(BusWriteGathering.StartDrain);

        gathering.Drained(2);

        Assert.IsFalse(gathering.BeforeDrainAsync(CancellationToken.None).IsCompleted);
    }

    [TestMethod]
    public void AfterADrainOfSeveralItemsTheNextDrainWaitsTheGatheringTime()
    {
        var time = new FakeTimeProvider();
        var gathering = new BusWriteGathering(Gather, time);
        gathering.Drained(3);

        var wait = gathering.BeforeDrainAsync(CancellationToken.None);
        time.Advance(Gather - TimeSpan.FromTicks(1));
        Assert.IsFalse(wait.IsCompleted, "before the gathering time");
        time.Advance(TimeSpan.FromTicks(1));

        Assert.IsTrue(wait.IsCompletedSuccessfully);
    }

    [TestMethod]
    public void ADrainOfOneItemAfterBunchingTurnsTheGatheringOff()
    {
        var gathering = new BusWriteGathering(Gather, new FakeTimeProvider());
        gathering.Drained(5);
        Assert.IsFalse(gathering.BeforeDrainAsync(CancellationToken.None).IsCompleted);

        gathering.Drained(1);

        Assert.IsTrue(gathering.BeforeDrainAsync(CancellationToken.None).IsCompleted);
    }

    [TestMethod]
    public void ALargeDrainIsFollowedByAWriteAtOnceNotAGathering()
    {
        var gathering = new BusWriteGathering(Gather, new FakeTimeProvider());
        gathering.Drained(BusWriteGathering.LargeDrain - 1);
        Assert.IsFalse(gathering.BeforeDrainAsync(CancellationToken.None).IsCompleted, "just under a large drain");

        gathering.Drained(BusWriteGathering.LargeDrain);

        Assert.IsTrue(gathering.BeforeDrainAsync(CancellationToken.None).IsCompleted);
    }

    [TestMethod]
    public void WithNoGatheringTimeEveryDrainIsWrittenAtOnceWhateverItsSize()
    {
        var gathering = new BusWriteGathering(TimeSpan.Zero, new FakeTimeProvider());

        gathering.Drained(5);

        Assert.IsTrue(gathering.BeforeDrainAsync(CancellationToken.None).IsCompleted);
    }

    [TestMethod]
    public async Task StoppingTheWriterEndsAGatheringAtOnce()
    {
        var gathering = new BusWriteGathering(TimeSpan.FromMinutes(1), new FakeTimeProvider());
        gathering.Drained(5);
        using var stopping = new CancellationTokenSource();
        var wait = gathering.BeforeDrainAsync(stopping.Token);

        await stopping.CancelAsync();

        await Assert.ThrowsExactlyAsync<TaskCanceledException>(() => wait);
    }
}
