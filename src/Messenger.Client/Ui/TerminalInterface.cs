using System.Text;

namespace Messenger.Client.Ui;

/// <summary>
/// A small line editor for a real terminal: events print above the line being typed without breaking it
/// (the line is erased, the event printed, the prompt and text redrawn), with history on the arrow keys.
/// Console.ReadKey blocks, so keys are read on a pool thread; all drawing happens under one lock.
/// </summary>
public sealed class TerminalInterface : IUserInterface
{
    private const string EraseLine = "\r\u001b[K";
    private const int HistoryLimit = 500;

    private readonly Lock drawGate = new();
    private readonly List<string> history = [];
    private readonly StringBuilder buffer = new();
    private readonly SortedDictionary<string, string> statuses = new(StringComparer.Ordinal);
    private string prompt = "";
    private bool secret;
    private bool editing;
    private int cursor;

    public TerminalInterface()
    {
        Console.TreatControlCAsInput = true;
    }

    public ValueTask<string?> ReadLineAsync(string prompt, bool secret, CancellationToken cancellationToken) =>
        new(Task.Run(() => ReadLine(prompt, secret), cancellationToken));

    public bool ShowsLiveStatus => true;

    /// <summary>Live statuses (downloads) are shown in brackets before the prompt and redrawn in place.</summary>
    public void SetStatus(string key, string? status)
    {
        lock (drawGate)
        {
            if (status is null)
            {
                statuses.Remove(key);
            }
            else
            {
                statuses[key] = status;
            }
            if (editing)
            {
                Redraw();
            }
        }
    }

    public void WriteLine(string line)
    {
        lock (drawGate)
        {
            Console.Out.Write(editing ? EraseLine + line + "\n" : line + "\n");
            if (editing)
            {
                Redraw();
            }
            Console.Out.Flush();
        }
    }

    private string? ReadLine(string newPrompt, bool hidden)
    {
        lock (drawGate)
        {
            prompt = newPrompt;
            secret = hidden;
            buffer.Clear();
            cursor = 0;
            editing = true;
            Redraw();
        }
        var historyIndex = history.Count;
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            lock (drawGate)
            {
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        return Finish(buffer.ToString(), hidden);
                    case ConsoleKey.Backspace when cursor > 0:
                        buffer.Remove(--cursor, 1);
                        break;
                    case ConsoleKey.Delete when cursor < buffer.Length:
                        buffer.Remove(cursor, 1);
                        break;
                    case ConsoleKey.LeftArrow when cursor > 0:
                        cursor--;
                        break;
                    case ConsoleKey.RightArrow when cursor < buffer.Length:
                        cursor++;
                        break;
                    case ConsoleKey.Home:
                        cursor = 0;
                        break;
                    case ConsoleKey.End:
                        cursor = buffer.Length;
                        break;
                    case ConsoleKey.UpArrow when !hidden && historyIndex > 0:
                        Replace(history[--historyIndex]);
                        break;
                    case ConsoleKey.DownArrow when !hidden && historyIndex < history.Count:
                        historyIndex++;
                        Replace(historyIndex == history.Count ? "" : history[historyIndex]);
                        break;
                    case ConsoleKey.C or ConsoleKey.D when key.Modifiers.HasFlag(ConsoleModifiers.Control):
                        // Ctrl+C, or Ctrl+D on an empty line: end of input, which logs out.
                        if (key.Key == ConsoleKey.C || buffer.Length == 0)
                        {
                            return Finish(null, hidden);
                        }
                        break;
                    case ConsoleKey.U when key.Modifiers.HasFlag(ConsoleModifiers.Control):
                        Replace("");
                        break;
                    default:
                        if (!char.IsControl(key.KeyChar))
                        {
                            buffer.Insert(cursor++, key.KeyChar);
                        }
                        break;
                }
                Redraw();
            }
        }
    }

    private string? Finish(string? line, bool hidden)
    {
        editing = false;
        Console.Out.Write(EraseLine + prompt + (hidden || line is null ? "" : line) + "\n");
        Console.Out.Flush();
        if (line is { Length: > 0 } && !hidden && (history.Count == 0 || history[^1] != line))
        {
            history.Add(line);
            if (history.Count > HistoryLimit)
            {
                history.RemoveAt(0);
            }
        }
        return line;
    }

    private void Replace(string text)
    {
        buffer.Clear().Append(text);
        cursor = buffer.Length;
    }

    private void Redraw()
    {
        var shown = secret ? "" : buffer.ToString();
        var back = secret ? 0 : buffer.Length - cursor;
        var status = statuses.Count == 0 || secret ? "" : $"[{string.Join(" | ", statuses.Values)}] ";
        Console.Out.Write(EraseLine + status + prompt + shown + (back > 0 ? $"\u001b[{back}D" : ""));
        Console.Out.Flush();
    }
}
