namespace Messenger.Bench;

/// <summary>W1's, W2's and F1's choice of recipient: a cheap xorshift per sender, never the sender itself.</summary>
public struct RandomPeer(int self)
{
    private ulong state = (ulong)self * 0x9E3779B97F4A7C15UL + 1;

    /// <summary>
    /// A uniformly chosen index among <paramref name="users"/> other than the sender's, in the sender's group: the users
    /// <paramref name="stride"/> apart from it (1: anyone; a cluster's node count: the users of the sender's own node).
    /// </summary>
    public int Next(int users, int stride = 1)
    {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        var group = self % stride;
        var to = (int)(state % (ulong)((users - group + stride - 1) / stride - 1)) * stride + group;
        return to >= self ? to + stride : to;
    }
}
