using System.Buffers;

namespace Messenger.Protocol.Tests.Support;

/// <summary>
/// One link of a hand-built multi-segment <see cref="ReadOnlySequence{T}"/>, the shape a PipeReader hands out
/// when a frame straddles its buffers. Reusable (<see cref="Reset"/>) so the randomized test can split inputs
/// without allocating.
/// </summary>
public sealed class TestSegment : ReadOnlySequenceSegment<byte>
{
    public TestSegment(ReadOnlyMemory<byte> memory)
    {
        Memory = memory;
    }

    public void Reset(ReadOnlyMemory<byte> memory, long runningIndex)
    {
        Memory = memory;
        RunningIndex = runningIndex;
        Next = null;
    }

    /// <summary>Links <paramref name="next"/> after this segment and returns it.</summary>
    public TestSegment Append(ReadOnlyMemory<byte> memory)
    {
        var next = new TestSegment(memory);
        Link(next);
        return next;
    }

    /// <summary>Links an existing segment after this one; its running index continues from here.</summary>
    public void Link(TestSegment next)
    {
        next.RunningIndex = RunningIndex + Memory.Length;
        Next = next;
    }
}
