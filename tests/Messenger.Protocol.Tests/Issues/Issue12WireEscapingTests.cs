using System.Buffers;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Protocol.Tests.Issues;

/// <summary>
/// Issue 12, hole 1: the default JSON encoder wrote '&lt;' as <c>\u003C</c>, so a 4,000-byte text of '&lt;' became a
/// 24 KB frame and a slow client's queue grew six times faster than the text sent. Frames now escape only what JSON
/// requires.
/// </summary>
[TestClass]
public sealed class Issue12WireEscapingTests
{
    private static byte[] Payload(string text)
    {
        var output = new ArrayBufferWriter<byte>();
        FrameEncoder.WriteJson(output, FrameType.IncomingMessage, 1, new IncomingMessage(1, "alice", text, 1, 0, false, false), ProtocolJsonContext.Default.IncomingMessage);
        return output.WrittenSpan[FrameHeader.Size..].ToArray();
    }

    [TestMethod]
    public void AFullLengthTextOfAngleBracketsIsNotInflatedOnTheWire()
    {
        var text = new string('<', ProtocolLimits.MaxTextLength);

        var payload = Payload(text);

        Assert.IsLessThan(ProtocolLimits.MaxTextLength + 200, payload.Length, "the payload is the text plus a few fields, not six times the text");
    }

    [TestMethod]
    [DataRow("<script>alert('x')</script> & more", DisplayName = "HTML characters")]
    [DataRow("grüße, 日本語, émoji 😀👍🏽", DisplayName = "non-ASCII and emoji")]
    public void TextThatJsonAllowsRawIsWrittenAsPlainUtf8(string text)
    {
        var payload = System.Text.Encoding.UTF8.GetString(Payload(text));

        StringAssert.Contains(payload, text);
    }

    [TestMethod]
    [DataRow("quote \" backslash \\ newline \n tab \t bell \a escape \u001b", DisplayName = "characters JSON must escape")]
    [DataRow("<>&'\"\\\u0000\u001f\u007f\u2028\u2029 😀 日本", DisplayName = "a mix")]
    public void EveryTextReadsBackExactlyAndControlCharactersStayEscaped(string text)
    {
        var payload = Payload(text);

        Assert.IsFalse(payload.Any(b => b < 0x20), "no raw control byte reaches the wire");
        Assert.IsTrue(PayloadReader.TryRead(new ReadOnlySequence<byte>(payload), ProtocolJsonContext.Default.IncomingMessage, out var read));
        Assert.AreEqual(text, read.Text);
    }
}
