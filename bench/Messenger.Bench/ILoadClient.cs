namespace Messenger.Bench;

/// <summary>
/// One simulated user as the workloads drive it, whatever the protocol: ours (<see cref="BenchConnection"/>) or IRC
/// (<see cref="IrcConnection"/>). Texts carry the sender's index and a Stopwatch stamp in the same 64-byte format
/// for both (<see cref="BenchConnection.TryParseText"/>), so the workloads read receipts the same way.
/// </summary>
public interface ILoadClient : IAsyncDisposable
{
    int Index { get; }

    IReceiver? Receiver { get; set; }

    /// <summary>Messages delivered to this user (direct or room).</summary>
    long Received { get; }

    /// <summary>Messages this user sent.</summary>
    long Sent { get; }

    /// <summary>Joins and room messages answered as accepted (IRC: joins only; it answers no message).</summary>
    long RoomAnswers { get; }

    long RoomRefusals { get; }

    /// <summary>Sends <paramref name="count"/> messages to random other users (of <paramref name="users"/>) in one write.</summary>
    void SendToRandom(int count, int users, long stamp);

    void JoinRoom();

    /// <summary>Sends <paramref name="count"/> messages to the room in one write.</summary>
    void SendToRoom(int count, long stamp);
}
