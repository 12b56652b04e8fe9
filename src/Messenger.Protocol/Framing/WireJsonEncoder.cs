using System.Buffers;
using System.Text.Encodings.Web;

namespace Messenger.Protocol.Framing;

/// <summary>
/// The JSON string escaping used on the wire: only what JSON itself requires (control characters, '"' and '\')
/// is escaped; everything else, '&lt;', '&gt;', '&amp;', non-ASCII and emoji included, goes out as plain UTF-8.
/// The default encoder is made for JSON that may land inside HTML, and writes '&lt;' as <c>\u003C</c> and an emoji as
/// twelve characters: a 4,000-byte text of '&lt;' became a 24 KB frame, six times its size (issue 12, hole 1).
/// Frames are never embedded in HTML; the web client renders text as text.
/// </summary>
public sealed class WireJsonEncoder : JavaScriptEncoder
{
    public static readonly WireJsonEncoder Instance = new();

    /// <summary>Bytes (and UTF-16 units) that JSON requires to be escaped.</summary>
    private static readonly SearchValues<byte> MustEscapeBytes = SearchValues.Create(MustEscape().Select(c => (byte)c).ToArray());

    private static readonly SearchValues<char> MustEscapeChars = SearchValues.Create(MustEscape());

    private WireJsonEncoder()
    {
    }

    /// <summary>The longest escape written is <c>\uXXXX</c>.</summary>
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) => unicodeScalar is < 0x20 or '"' or '\\';

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text) => utf8Text.IndexOfAny(MustEscapeBytes);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength) =>
        new ReadOnlySpan<char>(text, textLength).IndexOfAny(MustEscapeChars);

    /// <summary>Only called for what <see cref="WillEncode"/> selects; the relaxed encoder writes those as JSON does.</summary>
    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten) =>
        UnsafeRelaxedJsonEscaping.TryEncodeUnicodeScalar(unicodeScalar, buffer, bufferLength, out numberOfCharactersWritten);

    private static char[] MustEscape() => [.. Enumerable.Range(0, 0x20).Select(i => (char)i), '"', '\\'];
}
