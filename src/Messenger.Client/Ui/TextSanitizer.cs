using System.Globalization;
using System.Text;

namespace Messenger.Client.Ui;

/// <summary>
/// Makes text from other users safe to print: control characters (newline, ESC, bidi overrides...) are shown as
/// escapes, so nobody can forge an event line or send terminal escape codes.
/// </summary>
public static class TextSanitizer
{
    /// <summary>What starts each further line of a multi-line message: no event line starts this way, so none can be forged.</summary>
    public const string ContinuationPrefix = "    | ";

    /// <summary>
    /// A message's text (a browser user may send several lines): each line escaped as <see cref="Escape"/> does, the
    /// lines after the first on lines of their own behind <see cref="ContinuationPrefix"/>.
    /// </summary>
    public static string EscapeMessage(string text) =>
        text.Contains('\n', StringComparison.Ordinal)
            ? string.Join(Environment.NewLine + ContinuationPrefix, text.Split('\n').Select(Escape))
            : Escape(text);

    public static string Escape(string text)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var unsafeChar = char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format && !char.IsSurrogate(c) && c != '\u200D';
            if (!unsafeChar)
            {
                builder?.Append(c);
                continue;
            }
            builder ??= new StringBuilder(text, 0, i, text.Length + 16);
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\u001B' => "\\e",
                _ => $"\\u{(int)c:X4}",
            });
        }
        return builder?.ToString() ?? text;
    }
}
