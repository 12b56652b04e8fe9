using System.Buffers;
using System.Text;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Tests.Support;

namespace Messenger.Protocol.Tests.Contracts;

/// <summary>
/// The hand-written readers of the hot payloads must take and refuse exactly what the serializer does: every case is
/// read both ways and the outcomes compared (accepted or not, and the value), on valid, hostile and random input, and
/// split across buffer segments.
/// </summary>
[TestClass]
public sealed class HotPayloadsTests
{
    private static readonly string[] SendMessageCases =
    [
        """{"to":"bob","text":"hi","messageId":1}""",
        """{"messageId":-9223372036854775808,"text":"","to":"bob"}""",
        """ { "to" : "bob" , "text" : "a\"b\\c\u00e9\n" , "messageId" : 42 } """,
        """{"to":"bob","text":"hi","messageId":1,"extra":{"deep":[1,{"x":null}]},"more":[]}""",
        """{"to":"bob","text":"first","messageId":1,"text":"second"}""",
        """{"t\u006f":"bob","text":"escaped name","messageId":7}""",
        """{"To":"bob","text":"hi","messageId":1}""",
        """{"to":"bob","text":"hi"}""",
        """{"to":"bob","messageId":1}""",
        """{"text":"hi","messageId":1}""",
        """{"to":null,"text":"hi","messageId":1}""",
        """{"to":"bob","text":null,"messageId":1}""",
        """{"to":"bob","text":"hi","messageId":null}""",
        """{"to":"bob","text":"hi","messageId":"1"}""",
        """{"to":"bob","text":"hi","messageId":1.5}""",
        """{"to":"bob","text":"hi","messageId":1e3}""",
        """{"to":"bob","text":"hi","messageId":9223372036854775808}""",
        """{"to":5,"text":"hi","messageId":1}""",
        """{"to":["bob"],"text":"hi","messageId":1}""",
        """{"to":"bob","text":"hi","messageId":1}x""",
        """{"to":"bob","text":"hi","messageId":1}{}""",
        """{"to":"bob","text":"hi","messageId":1,}""",
        """{"to":"bob","text":"hi","messageId":1""",
        """["to","bob"]""", "null", "1", "\"s\"", "{}", "", " ",
        """{"to":"bob","text":"hi","messageId":1,"x":[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]}""",
        """{"to":"bob","text":"\ud800","messageId":1}""",
    ];

    private static readonly string[] AckCases =
    [
        """{"deliveryIds":[1,2,3]}""", """{"deliveryIds":[]}""", """ {"deliveryIds" : [ -1 , 9223372036854775807 ] } """,
        """{"deliveryIds":[1],"deliveryIds":[2,3]}""", """{"other":1,"deliveryIds":[5]}""",
        """{"deliveryIds":null}""", """{"deliveryIds":[1,null]}""", """{"deliveryIds":["1"]}""", """{"deliveryIds":[1.5]}""",
        """{"deliveryIds":{}}""", """{"deliveryIds":1}""", """{}""", """{"deliveryids":[1]}""", """{"deliveryIds":[1]}]""",
        """{"deliveryIds":[1,]}""", """{"deliveryIds":[1""", "[]", "", "null",
    ];

    public static IEnumerable<string> SendMessageInputs => SendMessageCases;

    public static IEnumerable<string> AckInputs => AckCases;

    [TestMethod]
    [DynamicData(nameof(SendMessageInputs))]
    public void SendMessageIsReadExactlyAsTheSerializerReadsIt(string json) => AssertSameAsSerializer(Encoding.UTF8.GetBytes(json));

    [TestMethod]
    [DynamicData(nameof(AckInputs))]
    public void AckIsReadExactlyAsTheSerializerReadsIt(string json) => AssertSameAckAsSerializer(Encoding.UTF8.GetBytes(json));

    [TestMethod]
    public void InvalidUtf8InATextIsRefusedBothWays()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"to":"bob","text":"XX","messageId":1}""");
        var at = Array.IndexOf(bytes, (byte)'X');
        bytes[at] = 0xC3; // a lead byte followed by an ASCII byte: not UTF-8
        Assert.IsFalse(HotPayloads.TryReadSendMessage(new ReadOnlySequence<byte>(bytes), out _));
        AssertSameAsSerializer(bytes);
    }

    [TestMethod]
    public void EveryCutOfAValidPayloadAndRandomBytesGetTheSerializersAnswer()
    {
        var random = new Random(1213);
        var valid = Encoding.UTF8.GetBytes("""{"to":"bob","text":"h\u00e9llo \"you\"","messageId":123456789,"x":[1,{"y":"z"}]}""");
        for (var length = 0; length <= valid.Length; length++)
        {
            AssertSameAsSerializer(valid[..length]);
        }
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])valid.Clone();
            mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            AssertSameAsSerializer(mutated);
            var ack = Encoding.UTF8.GetBytes($$"""{"deliveryIds":[{{random.Next()}},{{random.Next()}}]}""");
            ack[random.Next(ack.Length)] = (byte)"{}[],:\"0123456789-.enul "[random.Next(24)];
            AssertSameAckAsSerializer(ack);
        }
    }

    [TestMethod]
    public void APayloadSplitAcrossSegmentsReadsTheSame()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"to":"bob","text":"split across segments","messageId":99}""");
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            var split = Sequences.Split(bytes, cut);
            Assert.IsTrue(HotPayloads.TryReadSendMessage(split, out var request), $"cut at {cut}");
            Assert.AreEqual(new SendMessageRequest("bob", "split across segments", 99), request);
        }
    }

    private static void AssertSameAsSerializer(byte[] bytes)
    {
        var sequence = new ReadOnlySequence<byte>(bytes);
        var expected = PayloadReader.TryRead(sequence, ProtocolJsonContext.Default.SendMessageRequest, out var byJson);
        var actual = HotPayloads.TryReadSendMessage(sequence, out var byHand);
        Assert.AreEqual(expected, actual, $"accepted? for {Encoding.UTF8.GetString(bytes)}");
        Assert.AreEqual(byJson, byHand, Encoding.UTF8.GetString(bytes));
    }

    private static void AssertSameAckAsSerializer(byte[] bytes)
    {
        var sequence = new ReadOnlySequence<byte>(bytes);
        var expected = PayloadReader.TryRead(sequence, ProtocolJsonContext.Default.AckMessages, out var byJson);
        var actual = HotPayloads.TryReadAck(sequence, out var byHand);
        Assert.AreEqual(expected, actual, $"accepted? for {Encoding.UTF8.GetString(bytes)}");
        CollectionAssert.AreEqual(byJson?.DeliveryIds, byHand?.DeliveryIds, Encoding.UTF8.GetString(bytes));
    }
}
