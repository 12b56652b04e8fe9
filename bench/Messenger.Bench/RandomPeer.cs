namespace Messenger.Bench;

/// <summary>W1's and W2's choice of recipient: a cheap xorshift per sender, never the sender itself.</summary>
public struct RandomPeer(int self)
{
    private ulong state = (ulong)self * 0x9E3779B97F4A7C15UL + 1;

    /// <summary>A uniformly chosen index among <paramref name="users"/> other than the sender's.</summary>
    public int Next(int users)
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        var to = (int)(state % (ulong)(users - 1));
        return to >= self ? to + 1 : to;
    }
}
