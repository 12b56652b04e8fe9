namespace Messenger.Protocol.Framing;

/// <summary>
/// Fast membership test for the frame-type byte: a receiver answers a type it does not know "unsupported" (a newer
/// peer sent it) instead of closing, since the frame itself is well formed.
/// </summary>
public static class FrameTypes
{
    private static readonly bool[] Known = BuildTable();

    public static bool IsKnown(byte value) => Known[value];

    private static bool[] BuildTable()
    {
        var table = new bool[256];
        foreach (var type in Enum.GetValues<FrameType>())
        {
            table[(byte)type] = true;
        }
        return table;
    }
}
