using Messenger.Client.Session;
using Messenger.Client.Ui;

namespace Messenger.Client.Tests.Ui;

[TestClass]
public sealed class TextSanitizerTests
{
    [TestMethod]
    public void NewlinesEscapeAndBidiOverridesAreShownAsEscapes()
    {
        Assert.AreEqual("a\\nb\\rc\\e[31m\\u202E", TextSanitizer.Escape("a\nb\rc\u001b[31m\u202E"));
    }

    [TestMethod]
    public void AMultiLineMessageShowsEachLineUnderTheFirstBehindTheContinuationMarkWithItsControlsStillEscaped()
    {
        var shown = TextSanitizer.EscapeMessage("first\nbob logged in\r\n\u001b[2Jlast");

        CollectionAssert.AreEqual(
            new[] { "first", TextSanitizer.ContinuationPrefix + "bob logged in\\r", TextSanitizer.ContinuationPrefix + "\\e[2Jlast" },
            shown.Split(Environment.NewLine));
        Assert.AreEqual("one line", TextSanitizer.EscapeMessage("one line"));
    }

    [TestMethod]
    public void OrdinaryTextIncludingEmojiAndAccentsIsUnchanged()
    {
        const string text = "héllo wörld 👋🏽 👨‍👩‍👧  spaced";
        Assert.AreSame(text, TextSanitizer.Escape(text));
    }

    [TestMethod]
    public void SeenMessagesDropsRepeatsAndForgetsTheOldest()
    {
        var seen = new SeenMessages(capacity: 2);
        Assert.IsTrue(seen.Add("alice", 1));
        Assert.IsFalse(seen.Add("alice", 1));
        Assert.IsTrue(seen.Add("bob", 1), "ids are per sender");
        Assert.IsTrue(seen.Add("alice", 2));
        Assert.IsTrue(seen.Add("alice", 1), "the oldest pair was forgotten past the capacity");
    }
}
