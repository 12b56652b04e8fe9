using System.Buffers;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Contracts;

/// <summary>A payload comes from the network: anything that is not exactly the contract is "false", never an exception.</summary>
[TestClass]
public sealed class PayloadReaderTests
{
    public static IEnumerable<TestDataRow<ContractCase>> Cases =>
        ContractSamples.All.Select(c => new TestDataRow<ContractCase>(c) { DisplayName = c.Label });

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void MalformedJsonIsRefused(ContractCase sample)
    {
        var valid = sample.ToJson();
        string[] malformed =
        [
            "", " ", "{", "}", "{\"", "{\"a\":}", "{'a':1}", "{\"a\":1,}", "{,}", "nul", "tru", "{\"a\":01}", "{\"a\":\"\\x\"}",
            "{} // comment", "/* c */ {}",
        ];
        foreach (var text in malformed)
        {
            AssertRefused(sample, Encoding.UTF8.GetBytes(text), $"'{text}'");
        }
        // Every proper prefix of a valid payload (a frame cut short by a buggy peer) is malformed.
        for (var length = 0; length < valid.Length; length++)
        {
            AssertRefused(sample, valid.AsSpan(0, length).ToArray(), $"prefix of {length}/{valid.Length} bytes");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void BytesAfterTheJsonValueAreRefused(ContractCase sample)
    {
        var valid = sample.ToJson();

        AssertRefused(sample, Frames.Concat(valid, "x"u8.ToArray()), "trailing letter");
        AssertRefused(sample, Frames.Concat(valid, valid), "two values back to back");
        AssertRefused(sample, Frames.Concat(valid, " {}"u8.ToArray()), "a second value after a space");
        AssertRefused(sample, Frames.Concat(valid, [0]), "trailing NUL");
        Assert.IsTrue(sample.TryRead(new ReadOnlySequence<byte>(Frames.Concat(" \r\n\t"u8.ToArray(), valid, " \r\n\t"u8.ToArray())), out _),
            "whitespace around the value is fine");
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void WrongJsonShapeIsRefused(ContractCase sample)
    {
        var valid = Encoding.UTF8.GetString(sample.ToJson());
        foreach (var text in new[] { "[]", $"[{valid}]", "\"text\"", "42", "true", "false", $"{{\"payload\":{valid}}}" })
        {
            if (text.StartsWith("{\"payload\"", StringComparison.Ordinal) && !HasRequiredField(sample.ContractType))
            {
                continue; // An object with only an unknown field is a valid LogoutRequest: unknown fields are ignored.
            }
            AssertRefused(sample, Encoding.UTF8.GetBytes(text), text);
        }

        // Each field in turn given a value of the wrong JSON kind.
        var fields = JsonNode.Parse(valid)!.AsObject().Select(p => p.Key).ToArray();
        foreach (var field in fields)
        {
            var document = JsonNode.Parse(valid)!.AsObject();
            document[field] = WrongKind(document[field]!);
            AssertRefused(sample, Encoding.UTF8.GetBytes(document.ToJsonString()), $"{field} as {document[field]!.ToJsonString()}");
        }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void MissingRequiredFieldIsRefusedAndMissingOptionalFieldIsNot(ContractCase sample)
    {
        foreach (var parameter in PrimaryConstructor(sample.ContractType).GetParameters())
        {
            var document = JsonNode.Parse(sample.ToJson())!.AsObject();
            var removed = document.Remove(CamelCase(parameter.Name!));
            var bytes = Encoding.UTF8.GetBytes(document.ToJsonString());

            if (parameter.HasDefaultValue)
            {
                Assert.IsTrue(sample.TryRead(new ReadOnlySequence<byte>(bytes), out _), $"{parameter.Name} is optional (removed: {removed})");
            }
            else
            {
                Assert.IsTrue(removed, $"{parameter.Name} is written by the encoder");
                AssertRefused(sample, bytes, $"without {parameter.Name}");
            }
        }
    }

    [TestMethod]
    public void MissingRequiredFieldInANestedContractIsRefused()
    {
        var sample = ContractSamples.All.Single(c => c.ContractType == typeof(FileLocations));
        foreach (var path in new[] { "manifest", "owners", "fileId" })
        {
            var document = JsonNode.Parse(sample.ToJson())!.AsObject();
            document["versions"]![0]!.AsObject().Remove(path);
            AssertRefused(sample, Encoding.UTF8.GetBytes(document.ToJsonString()), $"versions[0] without {path}");
        }
        var withoutChunks = JsonNode.Parse(sample.ToJson())!.AsObject();
        withoutChunks["versions"]![0]!["owners"]![1]!.AsObject().Remove("chunks");
        AssertRefused(sample, Encoding.UTF8.GetBytes(withoutChunks.ToJsonString()), "owner without chunks");
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void NullIsAcceptedOnlyWhereTheContractSaysNullable(ContractCase sample)
    {
        var nullability = new NullabilityInfoContext();
        foreach (var parameter in PrimaryConstructor(sample.ContractType).GetParameters())
        {
            var document = JsonNode.Parse(sample.ToJson())!.AsObject();
            document[CamelCase(parameter.Name!)] = null;
            var bytes = Encoding.UTF8.GetBytes(document.ToJsonString());

            if (nullability.Create(parameter).ReadState == NullabilityState.Nullable)
            {
                Assert.IsTrue(sample.TryRead(new ReadOnlySequence<byte>(bytes), out _), $"{parameter.Name}: null is allowed");
            }
            else
            {
                AssertRefused(sample, bytes, $"{parameter.Name}: null");
            }
        }
    }

    [TestMethod]
    public void NullInsideAnArrayIsRefused()
    {
        AssertRefused<AckMessages>("""{"deliveryIds":[1,null,3]}""");
        AssertRefused<UserList>("""{"users":["a",null]}""");
        AssertRefused<FileManifest>("""{"name":"n","size":1,"chunkSize":1,"chunkHashes":[null]}""");
        AssertRefused<FileLocations>("""{"name":"n","versions":[null],"ticket":"t"}""");
        AssertRefused<FileLocations>("""{"name":"n","versions":[{"fileId":"f","manifest":{"name":"n","size":1,"chunkSize":1,"chunkHashes":[]},"owners":[null]}],"ticket":"t"}""");
        Assert.IsTrue(PayloadReader.TryRead(Payload("""{"name":"n","versions":[{"fileId":"f","manifest":{"name":"n","size":1,"chunkSize":1,"chunkHashes":["h"]},"owners":[]}],"ticket":"t"}"""),
            ProtocolJsonContext.Default.FileLocations, out var locations), "the same shape without nulls is fine");
        Assert.AreEqual("h", locations.Versions[0].Manifest.ChunkHashes[0]);
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void JsonNullIsRefused(ContractCase sample)
    {
        var ok = sample.TryRead(new ReadOnlySequence<byte>("null"u8.ToArray()), out var value);

        Assert.IsFalse(ok);
        Assert.IsNull(value);
    }

    [TestMethod]
    public void EnumsMustBeOneOfTheirExactNames()
    {
        Assert.IsTrue(PayloadReader.TryRead(Payload("""{"user":"a","kind":"LoggedOut"}"""), ProtocolJsonContext.Default.PresenceEvent, out var presence));
        Assert.AreEqual(PresenceKind.LoggedOut, presence.Kind);

        foreach (var kind in new[] { "1", "99", "0", "\"1\"", "\"loggedIn\"", "\"LOGGEDIN\"", "\"LoggedIn, LoggedOut\"", "\"Away\"", "\"\"", "null", "[]" })
        {
            AssertRefused<PresenceEvent>($$"""{"user":"a","kind":{{kind}}}""");
        }
        AssertRefused<Response>("""{"status":200,"message":"m"}""");
        AssertRefused<Response>("""{"status":"ok","message":"m"}""");
        AssertRefused<SendResult>("""{"messageId":1,"outcome":3}""");
    }

    [TestMethod]
    public void NumbersOutsideTheFieldsRangeOrNotIntegersAreRefused()
    {
        AssertRefused<SendResult>("""{"messageId":9223372036854775808,"outcome":"Stored"}""");
        AssertRefused<SendResult>("""{"messageId":1.5,"outcome":"Stored"}""");
        AssertRefused<SendResult>("""{"messageId":1e3,"outcome":"Stored"}""");
        AssertRefused<SendResult>("""{"messageId":"5","outcome":"Stored"}""");
        AssertRefused<BroadcastResult>("""{"recipients":2147483648,"skippedByBlock":false}""");
        AssertRefused<ChunkRequest>("""{"fileId":"f","chunk":-0.0e1}""");
        AssertRefused<ChunkRequest>("""{"fileId":"f","chunk":NaN}""");
    }

    [TestMethod]
    public void InvalidUtf8AndLoneSurrogatesAreRefused()
    {
        byte[][] broken =
        [
            [.. "{\"text\":\""u8, 0xC3, 0x28, .. "\"}"u8], // a lead byte followed by ASCII
            [.. "{\"text\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8], // a UTF-16 surrogate encoded as UTF-8
            [.. "{\"text\":\""u8, 0xF8, 0x88, 0x80, 0x80, 0x80, .. "\"}"u8], // a five-byte sequence
            [.. "{\"text\":\""u8, 0xFF, .. "\"}"u8],
            "{\"text\":\"\\uD83D\"}"u8.ToArray(), // a lone high surrogate as an escape
            [.. "{\"te"u8, 0xC3, .. "xt\":\"a\"}"u8], // broken property name
        ];
        foreach (var bytes in broken)
        {
            Assert.IsFalse(PayloadReader.TryRead(new ReadOnlySequence<byte>(bytes), ProtocolJsonContext.Default.BroadcastRequest, out _), Convert.ToHexString(bytes));
        }
    }

    [TestMethod]
    public void NestingDeeperThanSixteenIsRefusedEvenInAnIgnoredField()
    {
        static string Nested(int depth) => new string('[', depth) + new string(']', depth);

        Assert.IsTrue(PayloadReader.TryRead(Payload($$"""{"text":"a","extra":{{Nested(15)}}}"""), ProtocolJsonContext.Default.BroadcastRequest, out var shallow),
            "unknown fields are skipped (forward compatibility)");
        Assert.AreEqual("a", shallow.Text);
        AssertRefused<BroadcastRequest>($$"""{"text":"a","extra":{{Nested(16)}}}""");
        AssertRefused<BroadcastRequest>($$"""{"text":"a","extra":{{Nested(10_000)}}}""");
    }

    [TestMethod]
    public void FieldNamesAreCaseSensitive()
    {
        AssertRefused<BroadcastRequest>("""{"Text":"a"}""");
        AssertRefused<BlockRequest>("""{"USER":"a"}""");
    }

    [TestMethod]
    public void EveryNullableFieldMayBeLeftOutBecauseTheEncoderLeavesNullsOut()
    {
        // Regression: LoginRequest.Password had no default, so a resume login (no password, so no "password"
        // field on the wire) was refused as malformed by the server.
        var resume = new LoginRequest("hans", null, "token");
        var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(resume, ProtocolJsonContext.Default.LoginRequest);

        Assert.IsFalse(Encoding.UTF8.GetString(bytes).Contains("password", StringComparison.Ordinal));
        Assert.IsTrue(PayloadReader.TryRead(new ReadOnlySequence<byte>(bytes), ProtocolJsonContext.Default.LoginRequest, out var read));
        Assert.AreEqual(resume, read);

        var nullability = new NullabilityInfoContext();
        foreach (var type in ContractSamples.All.Select(c => c.ContractType).Distinct())
        {
            foreach (var parameter in PrimaryConstructor(type).GetParameters())
            {
                if (nullability.Create(parameter).ReadState == NullabilityState.Nullable)
                {
                    Assert.IsTrue(parameter.HasDefaultValue, $"{type.Name}.{parameter.Name} is nullable, so it needs a default");
                }
            }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void PayloadSplitIntoOneByteSegmentsReadsTheSame(ContractCase sample)
    {
        Assert.IsTrue(sample.TryRead(Sequences.OneBytePerSegment(sample.ToJson()), out var value));
        DeepEquality.AssertEqual(sample.Value, value, sample.Label);
    }

    [TestMethod]
    public void ReadThrowsAProtocolExceptionThatSaysTheFrameWasFine()
    {
        var exception = Assert.ThrowsExactly<ProtocolException>(() => PayloadReader.Read(Payload("{"), ProtocolJsonContext.Default.Notice));

        Assert.AreEqual(FrameDecodeStatus.Complete, exception.Status);
        StringAssert.Contains(exception.Message, nameof(Notice));
    }

    private static ReadOnlySequence<byte> Payload(string json) => new(Encoding.UTF8.GetBytes(json));

    private static void AssertRefused<T>(string json)
        where T : class
    {
        var sample = ContractSamples.All.First(c => c.ContractType == typeof(T));
        AssertRefused(sample, Encoding.UTF8.GetBytes(json), json);
    }

    private static void AssertRefused(ContractCase sample, byte[] payload, string what)
    {
        bool ok;
        object? value;
        try
        {
            ok = sample.TryRead(new ReadOnlySequence<byte>(payload), out value);
        }
        catch (Exception ex)
        {
            Assert.Fail($"{sample.Label}, {what}: TryRead threw {ex.GetType().Name}: {ex.Message}");
            return;
        }
        Assert.IsFalse(ok, $"{sample.Label}, {what}: accepted as {value}");
        Assert.IsNull(value, $"{sample.Label}, {what}: no value on failure");
    }

    private static bool HasRequiredField(Type type) => PrimaryConstructor(type).GetParameters().Any(p => !p.HasDefaultValue);

    private static ConstructorInfo PrimaryConstructor(Type type) =>
        type.GetConstructors().Single(c => c.GetParameters() is not [{ } p] || p.ParameterType != type);

    private static string CamelCase(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static JsonNode? WrongKind(JsonNode value) => value.GetValueKind() switch
    {
        System.Text.Json.JsonValueKind.String => JsonValue.Create(true),
        System.Text.Json.JsonValueKind.Number => JsonValue.Create("12"),
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => JsonValue.Create("yes"),
        System.Text.Json.JsonValueKind.Array => new JsonObject(),
        System.Text.Json.JsonValueKind.Object => new JsonArray(),
        _ => JsonValue.Create(1),
    };
}
