using System.Text;

namespace Messenger.Server.Cluster;

/// <summary>
/// The names (users, nodes) a bus reader decodes, kept as one string each: every cross-node message names its sender
/// and recipient, and the same few thousand names come back all the time, so a lookup by their characters replaces two
/// new strings per message. Not thread-safe: one per reader. Emptied when full, so it never grows past its capacity.
/// </summary>
internal sealed class NameCache(int capacity = 65_536)
{
    private const int LongestKept = 128;

    private readonly Dictionary<string, string> names = new(StringComparer.Ordinal);

    public int Count => names.Count;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > LongestKept)
        {
            return Encoding.UTF8.GetString(utf8);
        }
        Span<char> chars = stackalloc char[LongestKept];
        chars = chars[..Encoding.UTF8.GetChars(utf8, chars)];
        var lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars, out var known))
        {
            return known;
        }
        if (names.Count >= capacity)
        {
            names.Clear();
        }
        var name = new string(chars);
        names[name] = name;
        return name;
    }
}
