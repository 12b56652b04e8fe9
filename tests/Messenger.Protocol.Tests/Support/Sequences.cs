using System.Buffers;

namespace Messenger.Protocol.Tests.Support;

/// <summary>Builds <see cref="ReadOnlySequence{T}"/>s with chosen segment boundaries over a byte array.</summary>
public static class Sequences
{
    /// <summary>Splits <paramref name="data"/> at the given ascending offsets (0 and data.Length allowed: empty segments).</summary>
    public static ReadOnlySequence<byte> Split(byte[] data, params int[] cuts)
    {
        var bounds = new List<int>(cuts.Length + 2) { 0 };
        bounds.AddRange(cuts);
        bounds.Add(data.Length);
        var first = new TestSegment(data.AsMemory(bounds[0], bounds[1] - bounds[0]));
        var last = first;
        for (var i = 1; i < bounds.Count - 1; i++)
        {
            last = last.Append(data.AsMemory(bounds[i], bounds[i + 1] - bounds[i]));
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary>Every byte in its own segment (each backed by its own array), the worst case for a parser.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] data)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }
        var first = new TestSegment(new[] { data[0] });
        var last = first;
        for (var i = 1; i < data.Length; i++)
        {
            last = last.Append(new[] { data[i] });
        }
        return new ReadOnlySequence<byte>(first, 0, last, 1);
    }
}
