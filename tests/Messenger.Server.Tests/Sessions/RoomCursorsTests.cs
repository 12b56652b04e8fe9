using Messenger.Server.Sessions;

namespace Messenger.Server.Tests.Sessions;

/// <summary>How a link's rooms hand over from catch-up to live delivery without a gap or a repeat.</summary>
[TestClass]
public sealed class RoomCursorsTests
{
    [TestMethod]
    public void ALiveMessageDuringCatchUpIsNotSentButMakesTheCatchUpReadAgain()
    {
        var cursors = new RoomCursors();
        cursors.Restart([(RoomId: 7, AckedPosition: 10)]);
        var (roomId, cursor) = cursors.BeginNextLoad()!.Value;

        Assert.IsFalse(cursors.TryAdvanceLive(7, 12), "the room is catching up: the log has it");
        Assert.IsTrue(cursor.Missed);
        Assert.AreEqual(7, roomId);
        Assert.AreEqual(10, cursor.SentUpTo, "the catch-up reads from the acknowledged position");
    }

    [TestMethod]
    public void OnceCaughtUpLiveMessagesGoOutOnceAndNeverBehindWhatWasSent()
    {
        var cursors = new RoomCursors();
        cursors.Restart([(RoomId: 7, AckedPosition: 10)]);
        var cursor = cursors.BeginNextLoad()!.Value.Cursor;
        cursor.SentUpTo = 12; // the page the catch-up sent
        cursor.Loading = false;
        cursor.CatchingUp = false;

        Assert.IsFalse(cursors.TryAdvanceLive(7, 12), "already sent by the catch-up");
        Assert.IsTrue(cursors.TryAdvanceLive(7, 13));
        Assert.IsFalse(cursors.TryAdvanceLive(7, 13), "a repeat");
        Assert.IsFalse(cursors.TryAdvanceLive(8, 14), "not a room of this link");
    }

    [TestMethod]
    public void ARoomBeingLoadedOrPausedIsNotLoadedAgainAndAnAttachStartsEveryRoomAfresh()
    {
        var cursors = new RoomCursors();
        cursors.Restart([(RoomId: 1, AckedPosition: 0), (RoomId: 2, AckedPosition: 5)]);
        var first = cursors.BeginNextLoad()!.Value;
        var second = cursors.BeginNextLoad()!.Value;
        second.Cursor.Loading = false;
        second.Cursor.Paused = true;

        Assert.AreNotEqual(first.RoomId, second.RoomId);
        Assert.IsNull(cursors.BeginNextLoad(), "one loading, one waiting for acknowledgements");
        var generation = cursors.Generation;
        cursors.Clear();
        Assert.IsFalse(cursors.TryAdvanceLive(1, 9), "no link: nothing goes live");
        cursors.Restart([(RoomId: 2, AckedPosition: 5)]);
        Assert.IsGreaterThan(generation, cursors.Generation, "a page read for the old link is dropped");
        Assert.AreEqual(2, cursors.BeginNextLoad()!.Value.RoomId);
    }

    [TestMethod]
    public void AJoinWhileAttachedGoesLiveFromTheRoomsNewestMessage()
    {
        var cursors = new RoomCursors();
        cursors.Restart([]);

        cursors.StartLive(3, 40);

        Assert.IsFalse(cursors.TryAdvanceLive(3, 40), "history, not news");
        Assert.IsTrue(cursors.TryAdvanceLive(3, 41));
        Assert.IsNull(cursors.BeginNextLoad(), "nothing to catch up");
    }
}
