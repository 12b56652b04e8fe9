using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Contracts;

[TestClass]
public sealed class ContractRoundTripTests
{
    public static IEnumerable<TestDataRow<ContractCase>> AllCases =>
        ContractSamples.All.Concat(ContractSamples.Variants).Select(c => new TestDataRow<ContractCase>(c) { DisplayName = c.Label });

    [TestMethod]
    [DynamicData(nameof(AllCases))]
    public void ContractRoundTripsThroughAJsonFrame(ContractCase sample)
    {
        var output = new ArrayBufferWriter<byte>();
        var written = sample.WriteFrame(output, requestId: 0xDEADBEEF);
        Assert.AreEqual(output.WrittenCount, written, "WriteJson reports the bytes it wrote");

        var buffer = new ReadOnlySequence<byte>(output.WrittenMemory);
        var status = FrameDecoder.TryDecode(ref buffer, ProtocolLimits.MaxPayloadLength, isCompleted: true, out var frame);

        Assert.AreEqual(FrameDecodeStatus.Complete, status);
        Assert.IsTrue(buffer.IsEmpty, "the decoder consumed exactly the one frame");
        Assert.AreEqual(sample.FrameType, frame.Type);
        Assert.AreEqual(0xDEADBEEFu, frame.RequestId);
        Assert.AreEqual(written - FrameHeader.Size, frame.Header.PayloadLength);
        Assert.AreEqual(frame.Header.PayloadLength, frame.Payload.Length);
        Assert.IsTrue(System.Text.Unicode.Utf8.IsValid(frame.Payload.ToArray()), "the payload is valid UTF-8");

        Assert.IsTrue(sample.TryRead(frame.Payload, out var read), "PayloadReader reads what the encoder wrote");
        DeepEquality.AssertEqual(sample.Value, read, sample.ContractType.Name);
    }

    [TestMethod]
    [DynamicData(nameof(AllCases))]
    public void TheEncodersFastPathWritesExactlyWhatTheGeneralSerializerWrites(ContractCase sample)
    {
        var frame = sample.ToFrame(requestId: 1);

        Frames.AssertBytesEqual(sample.ToJsonWithoutFastPath(), frame.AsSpan(FrameHeader.Size), sample.Label);
    }

    [TestMethod]
    public void EveryTypeInTheJsonContextHasASample()
    {
        var registered = typeof(ProtocolJsonContext).GetCustomAttributesData()
            .Where(a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(a => (Type)a.ConstructorArguments[0].Value!)
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ToArray();
        var sampled = ContractSamples.All.Select(c => c.ContractType).Distinct().OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();

        Assert.HasCount(56, registered, "a new contract needs a sample here and a line in docs/PROTOCOL.md §4");
        Assert.AreSequenceEqual(registered, sampled);
    }

    [TestMethod]
    public void EveryJsonFrameTypeCarriesExactlyOneContract()
    {
        // ChunkData and the compact frames are binary (their own tests: CompactPayloadsTests, the chunk codec's).
        var carried = ContractSamples.All
            .Where(c => c.ContractType != typeof(FileManifest))
            .Select(c => c.FrameType)
            .Order()
            .ToArray();
        FrameType[] binary = [FrameType.ChunkData, FrameType.SendMessageCompact, FrameType.AckCompact, FrameType.SendResultCompact, FrameType.IncomingCompact];
        var expected = Enum.GetValues<FrameType>().Except(binary).Order().ToArray();

        Assert.AreSequenceEqual(expected, carried);
    }

    [TestMethod]
    public void SamplesGiveEveryFieldANonDefaultValueSoARoundTripCannotPassByAccident()
    {
        var missing = new List<string>();
        foreach (var type in ContractSamples.All.Select(c => c.ContractType).Distinct())
        {
            var values = ContractSamples.All.Concat(ContractSamples.Variants).Where(c => c.ContractType == type).Select(c => c.Value).ToArray();
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (!values.Any(v => !IsDefault(property.GetValue(v))))
                {
                    missing.Add($"{type.Name}.{property.Name}");
                }
            }
        }
        Assert.IsEmpty(missing, $"fields no sample sets: {string.Join(", ", missing)}");
    }

    [TestMethod]
    public void FieldNamesAreCamelCaseEnumsAreStringsAndNullsAreLeftOut()
    {
        Assert.AreEqual("""{"status":"Ok","message":"pong"}""", Utf8(new Response(StatusCode.Ok, "pong")));
        Assert.AreEqual(
            """{"status":"Conflict","message":"already","reason":"already_blocked"}""",
            Utf8(new Response(StatusCode.Conflict, "already", Reasons.AlreadyBlocked)));
        Assert.AreEqual("""{"user":"hans","kind":"LoggedIn"}""",
            System.Text.Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(new PresenceEvent("hans", PresenceKind.LoggedIn), ProtocolJsonContext.Default.PresenceEvent)));
        Assert.AreEqual("""{"messageId":5,"outcome":"Delivered"}""",
            System.Text.Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(new SendResult(5, DeliveryOutcome.Delivered), ProtocolJsonContext.Default.SendResult)));

        foreach (var sample in ContractSamples.All)
        {
            using var document = JsonDocument.Parse(sample.ToJson());
            AssertCamelCase(document.RootElement, sample.Label);
        }
    }

    [TestMethod]
    public void ReaderAcceptsUnescapedUtf8FromOtherWriters()
    {
        var payload = new ReadOnlySequence<byte>("""{"text":"Grüße 👋 你好 \u00e4"}"""u8.ToArray());

        Assert.IsTrue(PayloadReader.TryRead(payload, ProtocolJsonContext.Default.BroadcastRequest, out var request));
        Assert.AreEqual("Grüße 👋 你好 ä", request.Text);
    }

    [TestMethod]
    public void FrameEncoderToArrayWritesTheSameBytesAsWriteJson()
    {
        var value = new Notice("Wartung 🔧");
        var output = new ArrayBufferWriter<byte>();
        FrameEncoder.WriteJson(output, FrameType.Notice, 0, value, ProtocolJsonContext.Default.Notice);

        var array = FrameEncoder.ToArray(FrameType.Notice, 0, value, ProtocolJsonContext.Default.Notice);

        Frames.AssertBytesEqual(output.WrittenSpan, array, "ToArray vs WriteJson");
    }

    [TestMethod]
    public void TheExampleFrameInProtocolMdIsExactlyWhatTheEncoderWrites()
    {
        // docs/PROTOCOL.md §2: a Broadcast, request id 1, payload {"text":"hi"}.
        byte[] documented =
        [
            0xAB, 0xCD, 0xEF, 0x88, 0x01, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0D, 0xA4, 0xDD, 0x45, 0xE6,
            .. "{\"text\":\"hi\"}"u8,
        ];

        var encoded = FrameEncoder.ToArray(FrameType.Broadcast, 1, new BroadcastRequest("hi"), ProtocolJsonContext.Default.BroadcastRequest);

        Frames.AssertBytesEqual(documented, encoded, "example frame");
    }

    private static string Utf8(Response response) =>
        System.Text.Encoding.UTF8.GetString(JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJsonContext.Default.Response));

    private static bool IsDefault(object? value) => value switch
    {
        null => true,
        string s => s.Length == 0,
        Array a => a.Length == 0,
        _ when value.GetType().IsValueType => value.Equals(Activator.CreateInstance(value.GetType())),
        _ => false,
    };

    private static void AssertCamelCase(JsonElement element, string where)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Assert.IsTrue(char.IsAsciiLetterLower(property.Name[0]), $"{where}: field '{property.Name}' is not camelCase");
                    AssertCamelCase(property.Value, $"{where}.{property.Name}");
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    AssertCamelCase(item, where);
                }
                break;
        }
    }
}
