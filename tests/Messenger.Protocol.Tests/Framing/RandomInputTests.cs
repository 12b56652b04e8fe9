using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Framing;

/// <summary>
/// A hostile peer's bytes: random buffers and valid frames with flipped bits, cut short, extended, or with lying
/// length fields. Nothing may throw, and nothing may be sized from a length field: the decoder allocates nothing
/// at all, and the whole loop allocates far less than one claimed length would.
/// </summary>
[TestClass]
public sealed class RandomInputTests
{
    private const int Iterations = 120_000;
    private const int Seed = 0x5EED_C0DE;

    /// <summary>Lengths a hostile header claims: over the limit, negative as int, and inside the limit but unsent.</summary>
    private static readonly uint[] HostileLengths =
    [
        0x40000000, 0x80000000, 0xFFFFFFFF, 0x7FFFFFFF, ProtocolLimits.MaxPayloadLength + 1, ProtocolLimits.MaxPayloadLength,
        ProtocolLimits.MaxPayloadLength - 1, 1024 * 1024, 65536,
    ];

    // JSON-significant bytes spliced into payloads to reach the parser's corners rather than only its first byte.
    private static readonly byte[] JsonBytes = "{}[]\":,\\-0123456789.eEtrufalsn \t\r\n\u00C3\u00BF"u8.ToArray();

    private enum Mutation
    {
        RandomBytes,
        FlipBits,
        Truncate,
        Extend,
        LieAboutLength,
        RandomHeaderField,
        ResealedPayloadEdit,
        Untouched,
    }

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void RandomAndMutatedBuffersNeverThrowAndNothingIsSizedFromTheLengthField()
    {
        var cases = ContractSamples.All.Concat(ContractSamples.Variants).ToArray();
        var frames = cases.Select((c, i) => c.ToFrame((uint)i + 1)).ToArray();
        var scratch = new byte[(frames.Max(f => f.Length) * 2) + 256];
        var segments = new[] { new TestSegment(default), new TestSegment(default), new TestSegment(default) };
        var statusCounts = new int[Enum.GetValues<FrameDecodeStatus>().Length];
        var mutationCounts = new int[Enum.GetValues<Mutation>().Length];
        var random = new Random(Seed);

        // Warm up every path once (JIT, static tables, the JSON metadata) so the measurement sees only steady state.
        for (var i = 0; i < cases.Length * 16; i++)
        {
            RunOne(random, cases, frames, scratch, segments, i, statusCounts, mutationCounts, out _, out _);
        }
        Array.Clear(statusCounts);
        Array.Clear(mutationCounts);

        long decoderAllocated = 0;
        var hugeClaims = 0;
        var readerCalls = 0;
        var readerAccepted = 0;
        var stopwatch = Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Iterations; i++)
        {
            var length = 0;
            var mutation = default(Mutation);
            try
            {
                var (allocated, claimedHuge, reads, accepted) = RunOne(random, cases, frames, scratch, segments, i, statusCounts, mutationCounts, out length, out mutation);
                decoderAllocated += allocated;
                hugeClaims += claimedHuge ? 1 : 0;
                readerCalls += reads;
                readerAccepted += accepted;
            }
            catch (Exception ex) when (ex is not AssertFailedException)
            {
                Assert.Fail($"iteration {i} (seed {Seed}, {mutation} of {cases[i % cases.Length].Label}) threw on {Convert.ToHexString(scratch, 0, length)}: {ex}");
            }
        }
        var totalAllocated = GC.GetAllocatedBytesForCurrentThread() - before;
        stopwatch.Stop();

        TestContext.WriteLine($"{Iterations} buffers in {stopwatch.ElapsedMilliseconds} ms; decoder allocated {decoderAllocated} B; loop allocated {totalAllocated / 1024} KiB");
        TestContext.WriteLine($"statuses: {string.Join(", ", Enum.GetValues<FrameDecodeStatus>().Select(s => $"{s}={statusCounts[(int)s]}"))}");
        TestContext.WriteLine($"mutations: {string.Join(", ", Enum.GetValues<Mutation>().Select(m => $"{m}={mutationCounts[(int)m]}"))}");
        TestContext.WriteLine($"headers claiming >= 1 MiB more than they carry: {hugeClaims}; PayloadReader calls: {readerCalls}, accepted: {readerAccepted}");

        // The run reached every verdict and the reader both ways, so the bounds below were tested, not skipped.
        foreach (var status in Enum.GetValues<FrameDecodeStatus>())
        {
            Assert.IsGreaterThan(100, statusCounts[(int)status], $"{status} was reached");
        }
        Assert.IsGreaterThanOrEqualTo(Iterations, readerCalls);
        Assert.IsGreaterThan(1000, readerAccepted, "some mutated payloads are still valid contracts");
        Assert.IsGreaterThan(10_000, hugeClaims, "headers claiming at least 1 MiB they do not carry");

        // The decoder never allocates: not per frame, not per claimed length.
        Assert.AreEqual(0L, decoderAllocated, "bytes the decoder allocated over the whole run");

        // Reading JSON allocates strings and records, and each refusal allocates an exception, so the loop does
        // allocate: about 3 KiB per buffer (about 330 MiB in all), measured. The bound leaves room for that and
        // nothing else: the lying headers together claim over 20 GiB, so sizing a buffer from even one in
        // twenty-five of them would break it.
        const long bound = 768L * 1024 * 1024;
        Assert.IsLessThan(bound, totalAllocated, $"loop allocation ({totalAllocated / (1024 * 1024)} MiB)");
        Assert.IsGreaterThan(25 * bound, hugeClaims * (1024L * 1024), "the bound is small against what the headers claim");
    }

    /// <summary>One mutated buffer through the decoder (until it stops), then a payload through the reader.</summary>
    private static (long DecoderAllocated, bool ClaimedHuge, int ReaderCalls, int ReaderAccepted) RunOne(
        Random random, ContractCase[] cases, byte[][] frames, byte[] scratch, TestSegment[] segments, int iteration,
        int[] statusCounts, int[] mutationCounts, out int length, out Mutation mutation)
    {
        var index = iteration % cases.Length;
        var source = frames[index];
        mutation = (Mutation)random.Next(mutationCounts.Length);
        mutationCounts[(int)mutation]++;
        length = Mutate(random, mutation, source, frames, scratch);
        var claimedHuge = length >= FrameHeader.Size
            && BinaryPrimitives.ReadUInt32BigEndian(scratch.AsSpan(Frames.LengthOffset)) >= (long)length - FrameHeader.Size + (1024 * 1024);

        var buffer = Build(random, scratch, length, segments);
        var isCompleted = random.Next(4) == 0;
        var readerCalls = 0;
        var readerAccepted = 0;
        long decoderAllocated = 0;
        for (var frameCount = 0; frameCount < 4; frameCount++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var status = FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, isCompleted, out var frame);
            decoderAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
            statusCounts[(int)status]++;
            if (status != FrameDecodeStatus.Complete)
            {
                break;
            }
            Assert.AreEqual(frame.Header.PayloadLength, frame.Payload.Length);
            Assert.IsLessThanOrEqualTo(length, FrameHeader.Size + frame.Header.PayloadLength, "a frame is never longer than the input");
            // The payload goes to the reader for its own contract, and to one other: the wrong shape must fail cleanly too.
            readerCalls += 2;
            readerAccepted += cases[index].TryRead(frame.Payload, out _) ? 1 : 0;
            readerAccepted += cases[random.Next(cases.Length)].TryRead(frame.Payload, out _) ? 1 : 0;
        }
        if (readerCalls == 0)
        {
            // Nothing decoded: the raw bytes behind where a header would be are as hostile a payload as any.
            var start = Math.Min(length, FrameHeader.Size);
            readerCalls++;
            readerAccepted += cases[random.Next(cases.Length)].TryRead(new ReadOnlySequence<byte>(scratch, start, length - start), out _) ? 1 : 0;
        }
        return (decoderAllocated, claimedHuge, readerCalls, readerAccepted);
    }

    private static int Mutate(Random random, Mutation mutation, byte[] source, byte[][] frames, byte[] scratch)
    {
        source.CopyTo(scratch, 0);
        var length = source.Length;
        switch (mutation)
        {
            case Mutation.RandomBytes:
                length = random.Next(0, 96);
                random.NextBytes(scratch.AsSpan(0, length));
                if (length >= 6 && random.Next(2) == 0)
                {
                    // A valid magic, version and type, so the random rest reaches the later checks.
                    source.AsSpan(0, 6).CopyTo(scratch);
                }
                break;
            case Mutation.FlipBits:
                for (var flips = random.Next(1, 5); flips > 0; flips--)
                {
                    // Half the flips land in the header, where the decisions are made.
                    var at = random.Next(2) == 0 ? random.Next(FrameHeader.Size) : random.Next(length);
                    scratch[at] ^= (byte)(1 << random.Next(8));
                }
                break;
            case Mutation.Truncate:
                length = random.Next(0, length);
                break;
            case Mutation.Extend:
                if (random.Next(2) == 0)
                {
                    var next = frames[random.Next(frames.Length)];
                    next.CopyTo(scratch, length);
                    length += next.Length;
                }
                else
                {
                    var extra = random.Next(1, 64);
                    random.NextBytes(scratch.AsSpan(length, extra));
                    length += extra;
                }
                break;
            case Mutation.LieAboutLength:
                var payloadLength = (uint)(length - FrameHeader.Size);
                var claimed = random.Next(3) switch
                {
                    0 => HostileLengths[random.Next(HostileLengths.Length)],
                    1 => (uint)random.NextInt64(0, uint.MaxValue + 1L),
                    _ => (uint)Math.Max(0, payloadLength + random.Next(-8, 9)),
                };
                BinaryPrimitives.WriteUInt32BigEndian(scratch.AsSpan(Frames.LengthOffset), claimed);
                break;
            case Mutation.RandomHeaderField:
                var field = random.Next(4);
                if (field == 0)
                {
                    scratch[Frames.VersionOffset] = (byte)random.Next(256);
                }
                else if (field == 1)
                {
                    scratch[Frames.TypeOffset] = (byte)random.Next(256);
                }
                else if (field == 2)
                {
                    BinaryPrimitives.WriteUInt16BigEndian(scratch.AsSpan(Frames.FlagsOffset), (ushort)random.Next(65536));
                }
                else
                {
                    BinaryPrimitives.WriteUInt32BigEndian(scratch.AsSpan(Frames.RequestIdOffset), (uint)random.NextInt64(0, uint.MaxValue + 1L));
                }
                break;
            case Mutation.ResealedPayloadEdit:
                length = EditPayload(random, scratch, length);
                // Reseal: a correct length and checksum, so the edited JSON gets past the decoder to the reader.
                var payload = scratch.AsSpan(FrameHeader.Size, length - FrameHeader.Size);
                BinaryPrimitives.WriteUInt32BigEndian(scratch.AsSpan(Frames.LengthOffset), (uint)payload.Length);
                BinaryPrimitives.WriteUInt32BigEndian(scratch.AsSpan(Frames.ChecksumOffset), Crc32C.Compute(payload));
                break;
            case Mutation.Untouched:
                break;
        }
        return length;
    }

    /// <summary>Edits the JSON payload in place: overwrite, delete or insert a few bytes. Returns the new frame length.</summary>
    private static int EditPayload(Random random, byte[] scratch, int length)
    {
        for (var edits = random.Next(1, 4); edits > 0; edits--)
        {
            var payloadLength = length - FrameHeader.Size;
            var at = FrameHeader.Size + random.Next(Math.Max(1, payloadLength));
            switch (random.Next(3))
            {
                case 0 when payloadLength > 0:
                    scratch[at] = random.Next(3) == 0 ? (byte)random.Next(256) : JsonBytes[random.Next(JsonBytes.Length)];
                    break;
                case 1 when payloadLength > 0:
                    var count = Math.Min(random.Next(1, 8), length - at);
                    scratch.AsSpan(at + count, length - at - count).CopyTo(scratch.AsSpan(at));
                    length -= count;
                    break;
                default:
                    if (length + 8 > scratch.Length)
                    {
                        break;
                    }
                    var insert = random.Next(1, 8);
                    at = Math.Min(at, length);
                    scratch.AsSpan(at, length - at).CopyTo(scratch.AsSpan(at + insert));
                    for (var k = 0; k < insert; k++)
                    {
                        scratch[at + k] = JsonBytes[random.Next(JsonBytes.Length)];
                    }
                    length += insert;
                    break;
            }
        }
        return length;
    }

    /// <summary>The input as one segment, or cut into two or three at random points (reusing segments: no allocation).</summary>
    private static ReadOnlySequence<byte> Build(Random random, byte[] scratch, int length, TestSegment[] segments)
    {
        var pieces = random.Next(3);
        if (pieces == 0 || length < 2)
        {
            return new ReadOnlySequence<byte>(scratch, 0, length);
        }
        var first = random.Next(1, length);
        var second = pieces == 2 ? random.Next(first, length) : length;
        segments[0].Reset(scratch.AsMemory(0, first), 0);
        segments[1].Reset(scratch.AsMemory(first, second - first), 0);
        segments[0].Link(segments[1]);
        var last = segments[1];
        if (second < length)
        {
            segments[2].Reset(scratch.AsMemory(second, length - second), 0);
            segments[1].Link(segments[2]);
            last = segments[2];
        }
        return new ReadOnlySequence<byte>(segments[0], 0, last, last.Memory.Length);
    }
}
