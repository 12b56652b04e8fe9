namespace Messenger.Protocol.Framing;

/// <summary>Fast membership test for the frame-type byte, checked by the decoder before anything else is read.</summary>
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
