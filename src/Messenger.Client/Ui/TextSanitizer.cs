using System.Globalization;
using System.Text;

namespace Messenger.Client.Ui;

/// <summary>
/// Makes text from other users safe to print: control characters (newline, ESC, bidi overrides...) are shown as
/// escapes, so nobody can forge an event line or send terminal escape codes.
/// </summary>
public static class TextSanitizer
{
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
