using System.Text.Json;

namespace Messenger.WebTests;

/// <summary>
/// The page's own frame reader (frames.js), run in Chromium: the server's writer gathers queued frames into one
/// WebSocket message, and a frame may arrive across several, so /ws is a byte stream both ways (PROTOCOL.md).
/// </summary>
[TestClass]
public sealed class BrowserFrameDecoderTests
{
    private const string DecodeInThePage = """
        const done = arguments[arguments.length - 1];
        import('/frames.js').then(({ encodeFrame, FrameDecoder }) => {
          const first = encodeFrame(0x30, 1, { text: 'first' });
          const second = encodeFrame(0x30, 2, { text: 'second, with ü and 🙂' });
          const both = new Uint8Array(first.length + second.length);
          both.set(first);
          both.set(second, first.length);
          const packed = new FrameDecoder().push(both).map(f => `${f.requestId}:${f.payload.text}`);
          const byteByByte = new FrameDecoder();
          const split = [];
          for (let i = 0; i < both.length; i++) {
            for (const f of byteByByte.push(both.subarray(i, i + 1))) split.push({ at: i, frame: `${f.requestId}:${f.payload.text}` });
          }
          done(JSON.stringify({ firstLength: first.length, total: both.length, packed, split }));
        }, error => done(JSON.stringify({ error: String(error) })));
        """;

    [TestMethod]
    public async Task ThePagesReaderTakesTwoFramesFromOneMessageAndAFrameSplitByteByByteOnlyWhenItIsWhole()
    {
        await using var server = await WebServerFixture.StartAsync();
        using var browser = new Browser(WebServerFixture.Address(server));
        browser.Open("/");

        var answer = browser.Driver.ExecuteAsyncScript(DecodeInThePage) as string;
        Assert.IsNotNull(answer, "the page answered");
        using var result = JsonDocument.Parse(answer);
        var root = result.RootElement;
        Assert.IsFalse(root.TryGetProperty("error", out var error), error.ToString());
        CollectionAssert.AreEqual(new[] { "1:first", "2:second, with ü and 🙂" },
            root.GetProperty("packed").EnumerateArray().Select(e => e.GetString()).ToArray(), "both frames of one message, in order");
        var split = root.GetProperty("split").EnumerateArray()
            .Select(e => (At: e.GetProperty("at").GetInt32(), Frame: e.GetProperty("frame").GetString())).ToArray();
        CollectionAssert.AreEqual(new[] { (root.GetProperty("firstLength").GetInt32() - 1, "1:first"), (root.GetProperty("total").GetInt32() - 1, "2:second, with ü and 🙂") },
            split, "each frame once, when its last byte arrived");
        browser.AssertNoConsoleErrors();
    }
}
