namespace Messenger.Server.Storage;

/// <summary>
/// The two users of a direct conversation, the lower name (ordinal) first, with its hash taken once. History's writer
/// names each recorded message's conversation by a shared instance of this (interned on the sender's thread while the
/// names are in cache), so the store finds the conversation by a reference compare and a stored hash instead of
/// hashing and comparing two strings that went cold while the batch gathered.
/// </summary>
public sealed class ConversationPair : IEquatable<ConversationPair>
{
    private readonly int hash;

    private ConversationPair(string low, string high) => (Low, High, hash) = (low, high, HashCode.Combine(low, high));

    public string Low { get; }

    public string High { get; }

    /// <summary>The conversation of <paramref name="a"/> and <paramref name="b"/>, in either order.</summary>
    public static ConversationPair Of(string a, string b)
    {
        var (low, high) = Order(a, b);
        return new(low, high);
    }

    /// <summary>The two names of a conversation, the lower (ordinal) first: how every store keys a conversation.</summary>
    public static (string Low, string High) Order(string a, string b)
    {
        ArgumentException.ThrowIfNullOrEmpty(a);
        ArgumentException.ThrowIfNullOrEmpty(b);
        return string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);
    }

    public bool Equals(ConversationPair? other) =>
        ReferenceEquals(this, other) || (other is not null && hash == other.hash && Low == other.Low && High == other.High);

    public override bool Equals(object? obj) => Equals(obj as ConversationPair);

    public override int GetHashCode() => hash;

    public override string ToString() => $"{Low}/{High}";
}
