using Messenger.Server.Auth;
using Messenger.Server.Guests;
using Messenger.Server.History;
using Messenger.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Server.Tests.History;

/// <summary>Direct-message history off the delivery's path: queued in memory, written in batches, bounded.</summary>
[TestClass]
public sealed class DirectHistoryWriterTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [TestMethod]
    public async Task RowsQueuedWhileABatchIsWrittenGoTogetherInTheNextBatchInOrder()
    {
        var store = new SlowHistory();
        var clock = new FakeTimeProvider(T0);
        var (writer, owner) = Start(store, clock);

        writer.Record(Message(1));
        clock.Advance(DirectHistoryWriter.GatherFor);
        await store.FirstBatch.Task.WaitAsync(TimeSpan.FromSeconds(20));
        for (var i = 2; i <= 5; i++)
        {
            writer.Record(Message(i)); // the first batch's commit has not finished
        }
        store.Disk.SetResult();

        Assert.IsTrue(await owner.DrainAsync(TimeSpan.FromSeconds(20)));
        CollectionAssert.AreEqual(new[] { 1, 4 }, store.Batches.Select(b => b.Count).ToArray());
        CollectionAssert.AreEqual(Enumerable.Range(1, 5).Select(i => (long)i).ToArray(), store.Batches.SelectMany(b => b).Select(m => m.MessageId).ToArray());
    }

    [TestMethod]
    public async Task AfterABatchThatWasNotFullTheRowsQueuedDuringItsCommitWaitForAnotherGatheringBeforeTheirs()
    {
        var store = new SlowHistory();
        var clock = new TimerCountingClock(T0);
        var (writer, owner) = Start(store, clock);

        writer.Record(Message(1));
        await clock.TimerCreated(1).WaitAsync(TimeSpan.FromSeconds(20));
        clock.Advance(DirectHistoryWriter.GatherFor);
        await store.FirstBatch.Task.WaitAsync(TimeSpan.FromSeconds(20));
        for (var i = 2; i <= 5; i++)
        {
            writer.Record(Message(i)); // during the first batch's commit
        }
        store.Disk.SetResult();

        await clock.TimerCreated(2).WaitAsync(TimeSpan.FromSeconds(20)); // the flush gathers again...
        Assert.HasCount(1, store.Batches, "...and writes nothing meanwhile");
        clock.Advance(DirectHistoryWriter.GatherFor);
        await store.SecondBatch.Task.WaitAsync(TimeSpan.FromSeconds(20));
        CollectionAssert.AreEqual(new[] { 1, 4 }, store.Batches.Select(b => b.Count).ToArray());
        Assert.IsTrue(await owner.DrainAsync(TimeSpan.FromSeconds(20)));
    }

    [TestMethod]
    public async Task RowsRecordedWhileTheFlushGathersAreCommittedTogetherOnlyOnceTheGatheringIsOver()
    {
        var store = new SlowHistory();
        store.Disk.SetResult();
        var clock = new FakeTimeProvider(T0);
        var (writer, owner) = Start(store, clock);

        for (var i = 1; i <= 5; i++)
        {
            writer.Record(Message(i));
        }
        clock.Advance(DirectHistoryWriter.GatherFor - TimeSpan.FromMilliseconds(1));
        Assert.IsEmpty(store.Batches, "nothing is committed while the flush gathers");
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await store.FirstBatch.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.IsTrue(await owner.DrainAsync(TimeSpan.FromSeconds(20)));
        CollectionAssert.AreEqual(new[] { 5 }, store.Batches.Select(b => b.Count).ToArray());
    }

    [TestMethod]
    public async Task AHistoryReadOrAStopCutsTheGatheringShortWithoutTheClockMoving()
    {
        var store = new SlowHistory();
        store.Disk.SetResult();
        var (writer, owner) = Start(store, new FakeTimeProvider(T0));

        writer.Record(Message(1));

        Assert.IsTrue(await owner.DrainAsync(TimeSpan.FromSeconds(20)), "the drain does not wait for the gathering");
        CollectionAssert.AreEqual(new long[] { 1 }, store.Batches.SelectMany(b => b).Select(m => m.MessageId).ToArray());
    }

    [TestMethod]
    public async Task PastTheBoundRowsAreDroppedAndCountedAndTheQueuedOnesAreStillWritten()
    {
        var store = new SlowHistory();
        var (writer, owner) = Start(store);

        for (var i = 1; i <= DirectHistoryWriter.MaxQueued + 3; i++)
        {
            writer.Record(Message(i));
        }
        Assert.AreEqual(3, writer.Dropped);
        store.Disk.SetResult();

        Assert.IsTrue(await owner.DrainAsync(TimeSpan.FromSeconds(20)));
        Assert.AreEqual(DirectHistoryWriter.MaxQueued, store.Batches.Sum(b => b.Count));
        writer.Record(Message(0));
        Assert.IsTrue(await owner.DrainAsync(TimeSpan.FromSeconds(20)));
        Assert.AreEqual(3, writer.Dropped, "room again once the queue drained");
        Assert.AreEqual(DirectHistoryWriter.MaxQueued + 1, store.Batches.Sum(b => b.Count));
    }

    [TestMethod]
    public async Task ABatchTheStoreIsStillWritingIsNotTouchedByRowsRecordedMeanwhile()
    {
        var store = new SlowHistory();
        var clock = new FakeTimeProvider(T0);
        var (writer, owner) = Start(store, clock);

        writer.Record(Message(1));
        writer.Record(Message(2));
        clock.Advance(DirectHistoryWriter.GatherFor);
        await store.FirstBatch.Task.WaitAsync(TimeSpan.FromSeconds(20));
        var beingWritten = store.Handed[0];
        for (var i = 3; i <= 40; i++)
        {
            writer.Record(Message(i)); // the store has not finished with the first batch
        }

        CollectionAssert.AreEqual(new long[] { 1, 2 }, beingWritten.Select(m => m.MessageId).ToArray(), "the first batch is as handed over");
        store.Disk.SetResult();
        Assert.IsTrue(await owner.DrainAsync(TimeSpan.FromSeconds(20)));
        CollectionAssert.AreEqual(Enumerable.Range(1, 40).Select(i => (long)i).ToArray(), store.Batches.SelectMany(b => b).Select(m => m.MessageId).ToArray());
    }

    [TestMethod]
    public async Task NothingOfAGuestsConversationsIsKept()
    {
        var store = new SlowHistory();
        store.Disk.SetResult();
        var (writer, owner) = Start(store);

        writer.Record(new StoredMessage(0, "guest-1", "bob", 1, "from a guest", T0));
        writer.Record(new StoredMessage(0, "bob", "guest-1", 2, "to a guest", T0));
        writer.Record(Message(3));

        Assert.IsTrue(await owner.DrainAsync(TimeSpan.FromSeconds(20)));
        CollectionAssert.AreEqual(new long[] { 3 }, store.Batches.SelectMany(b => b).Select(m => m.MessageId).ToArray());
    }

    /// <summary>A writer into <paramref name="store"/> on <paramref name="clock"/> (null: the system's), and the owner of its flushes.</summary>
    private static (DirectHistoryWriter Writer, WriteBehind Owner) Start(SlowHistory store, TimeProvider? clock = null)
    {
        var owner = new WriteBehind(NullLogger.Instance);
        return (new DirectHistoryWriter(store, owner, new GuestNames(new NoAccounts()), NullLogger.Instance, time: clock), owner);
    }

    private static StoredMessage Message(long id) => new(0, "alice", "bob", id, $"m{id}", T0);

    /// <summary>A fake clock that tells when its n-th timer was made (each gathering of the flush makes one).</summary>
    private sealed class TimerCountingClock(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly TaskCompletionSource[] made = [.. Enumerable.Range(0, 8).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];
        private int count;

        public Task TimerCreated(int n) => made[n - 1].Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            var n = Interlocked.Increment(ref count);
            if (n <= made.Length)
            {
                made[n - 1].TrySetResult();
            }
            return timer;
        }
    }

    /// <summary>A history store whose commits all wait for <see cref="Disk"/>.</summary>
    private sealed class SlowHistory : IDirectHistory
    {
        public TaskCompletionSource Disk { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<List<StoredMessage>> Batches { get; } = [];

        /// <summary>The batches as handed over (the writer's own objects).</summary>
        public List<DirectHistoryBatch> Handed { get; } = [];

        /// <summary>Completes when the second batch reaches the store.</summary>
        public TaskCompletionSource SecondBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the first batch reaches the store.</summary>
        public TaskCompletionSource FirstBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask AppendDirectHistoryAsync(DirectHistoryBatch messages, CancellationToken cancellationToken = default)
        {
            int count;
            lock (Batches)
            {
                Batches.Add([.. messages]);
                Handed.Add(messages);
                count = Batches.Count;
            }
            (count == 1 ? FirstBatch : count == 2 ? SecondBatch : null)?.TrySetResult();
            await Disk.Task;
        }

        public ValueTask<IReadOnlyList<StoredMessage>> LoadDirectHistoryAsync(string user, string other, int max, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask<int> PurgeDirectHistoryAsync(string user, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<int> TrimDirectHistoryAsync(DateTimeOffset olderThan, int maxPerConversation, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    /// <summary>A credentials file with no accounts: every guest-… name is a guest's.</summary>
    private sealed class NoAccounts : ICredentialStore
    {
        public IReadOnlyCollection<string> Users => [];

        public bool Contains(string user) => false;

        public bool Verify(string user, string password) => false;

        public bool TryRegister(string user, string password) => false;
    }
}
