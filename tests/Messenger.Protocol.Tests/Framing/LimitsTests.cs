using System.Text.Json;
using Messenger.Protocol.Contracts;
using Messenger.Protocol.Framing;

namespace Messenger.Protocol.Tests.Framing;

/// <summary>
/// The limits in docs/PROTOCOL.md §3 fit together: whatever a legal user can send fits the frame limit that applies
/// to it, even when the encoder escapes every character to its longest form.
/// </summary>
[TestClass]
public sealed class LimitsTests
{
    // '<' is escaped as \u003C (six bytes for one), the encoder's worst case per UTF-8 byte.
    private static readonly string WorstText = new('<', ProtocolLimits.MaxTextLength);

    [TestMethod]
    public void LargestLegalLoginFitsThePreLoginLimit()
    {
        var login = new LoginRequest(
            new string('a', ProtocolLimits.MaxUserNameLength),
            new string('<', ProtocolLimits.MaxPasswordLength),
            Convert.ToBase64String(new byte[24]).Replace('A', '+'), // the server's 24-byte token, '+' escaped too
            65535,
            "SHA256:" + new string('f', 64),
            new string('h', 253)); // the longest DNS name a client may advertise for peers

        var size = JsonSerializer.SerializeToUtf8Bytes(login, ProtocolJsonContext.Default.LoginRequest).Length;

        Assert.IsLessThanOrEqualTo(ProtocolLimits.MaxPreLoginPayloadLength, size, $"login payload of {size} bytes");
    }

    [TestMethod]
    public void LongestLegalMessageFitsTheControlLimitInEveryContractThatCarriesIt()
    {
        var name = new string('a', ProtocolLimits.MaxUserNameLength);
        int[] sizes =
        [
            JsonSerializer.SerializeToUtf8Bytes(new SendMessageRequest(name, WorstText, long.MinValue), ProtocolJsonContext.Default.SendMessageRequest).Length,
            JsonSerializer.SerializeToUtf8Bytes(new BroadcastRequest(WorstText), ProtocolJsonContext.Default.BroadcastRequest).Length,
            JsonSerializer.SerializeToUtf8Bytes(new IncomingMessage(long.MinValue, name, WorstText, long.MinValue, long.MinValue, true, true), ProtocolJsonContext.Default.IncomingMessage).Length,
            JsonSerializer.SerializeToUtf8Bytes(new PrivateText(WorstText, long.MinValue), ProtocolJsonContext.Default.PrivateText).Length,
        ];

        foreach (var size in sizes)
        {
            Assert.IsGreaterThan(6 * ProtocolLimits.MaxTextLength, size, "the text really was escaped at six bytes per byte");
            Assert.IsLessThanOrEqualTo(ProtocolLimits.MaxControlPayloadLength, size, $"payload of {size} bytes");
        }
    }
}
