namespace Messenger.Security.Tests;

[TestClass]
public sealed class CredentialsFileTests
{
    private const int FastIterations = 1_000;

    private static CredentialsFile ParseText(string text) => CredentialsFile.Parse(new StringReader(text));

    [TestMethod]
    public void Parse_ClassicAndHashedLines_BecomeUsers()
    {
        var hash = PasswordHasher.Hash("carol-pw", FastIterations);
        var file = ParseText($"# accounts\n\nalice alice-pw\nbob\tbob-pw   \r\ncarol {hash}\n   # indented comment\nhans falcon*solo\n");

        CollectionAssert.AreEqual(new[] { "alice", "bob", "carol", "hans" }, file.Users.ToArray());
        Assert.IsEmpty(file.Problems);
        Assert.AreEqual(3, file.PlaintextCount);
    }

    [TestMethod]
    public void Verify_ClassicPassword_AcceptsOnlyTheExactPassword()
    {
        var file = ParseText("alice alice-pw\nyoda wise@!man\n");

        Assert.IsTrue(file.Verify("alice", "alice-pw"));
        Assert.IsTrue(file.Verify("yoda", "wise@!man"));
        Assert.IsFalse(file.Verify("alice", "alice-pW"));
        Assert.IsFalse(file.Verify("alice", "wise@!man"));
        Assert.IsFalse(file.Verify("Alice", "alice-pw"), "user names are case-sensitive");
    }

    [TestMethod]
    public void Verify_HashedPassword_AcceptsOnlyTheExactPassword()
    {
        var file = ParseText($"carol {PasswordHasher.Hash("carol-pw", FastIterations)}\n");

        Assert.IsTrue(file.Verify("carol", "carol-pw"));
        Assert.IsFalse(file.Verify("carol", "carol-pw "));
        Assert.AreEqual(0, file.PlaintextCount);
    }

    [TestMethod]
    public void Verify_UnknownUser_Fails_InHashedAndPlainFiles()
    {
        var hashed = ParseText($"carol {PasswordHasher.Hash("carol-pw", FastIterations)}\n");
        var plain = ParseText("alice alice-pw\n");

        Assert.IsFalse(hashed.Verify("mallory", "carol-pw"));
        Assert.IsFalse(plain.Verify("mallory", "alice-pw"));
        Assert.IsFalse(plain.Verify(null!, "alice-pw"));
        Assert.IsFalse(plain.Contains("mallory"));
        Assert.IsTrue(plain.Contains("alice"));
    }

    [TestMethod]
    public void Parse_EachMalformedKind_IsReportedWithItsLineNumber_AndSkipped()
    {
        var good = PasswordHasher.Hash("pw", FastIterations);
        var lines = new[]
        {
            "alice alice-pw",                                  // 1 ok
            "bad/name pw",                                     // 2 bad name
            "thisnameiswaytoolongforthemessengerrule pw",      // 3 bad name (33+ chars)
            "bob",                                             // 4 missing password
            "carol has spaces",                                // 5 more than two fields
            "alice other-pw",                                  // 6 duplicate
            "dave $pbkdf2-sha256$1000$c2FsdHNhbHQ=",           // 7 bad hash format
            "erin $2b$12$abcdefghijklmnopqrstuv",              // 8 unsupported scheme
            "",                                                // 9 blank
            $"frank {good}",                                   // 10 ok
        };

        var file = ParseText(string.Join('\n', lines));

        CollectionAssert.AreEqual(new[] { "alice", "frank" }, file.Users.ToArray());
        CollectionAssert.AreEqual(new[] { 2, 3, 4, 5, 6, 7, 8 }, file.Problems.Select(p => p.LineNumber).ToArray());
        StringAssert.Contains(file.Problems[0].Message, "user name");
        StringAssert.Contains(file.Problems[1].Message, "user name");
        StringAssert.Contains(file.Problems[2].Message, "no password");
        StringAssert.Contains(file.Problems[3].Message, "3 fields");
        StringAssert.Contains(file.Problems[4].Message, "duplicate user 'alice' (first defined on line 1)");
        StringAssert.Contains(file.Problems[5].Message, "bad password hash");
        StringAssert.Contains(file.Problems[6].Message, "unsupported password hash scheme '$2b$'");
        Assert.IsTrue(file.Verify("alice", "alice-pw"), "the first definition of a duplicated user wins");
        Assert.IsFalse(file.Verify("alice", "other-pw"));
        Assert.IsFalse(file.Contains("bob"));
        Assert.IsFalse(file.Contains("dave"));
        Assert.IsFalse(file.Verify("erin", "$2b$12$abcdefghijklmnopqrstuv"), "a foreign hash is never taken as a plaintext password");
    }

    [TestMethod]
    public void Parse_ProblemMessages_NeverQuoteThePassword()
    {
        var file = ParseText("carol my secret words\nbad/name hunter2\n");

        Assert.HasCount(2, file.Problems);
        foreach (var problem in file.Problems)
        {
            Assert.DoesNotContain("secret", problem.Message);
            Assert.DoesNotContain("hunter2", problem.Message);
        }
        Assert.AreEqual("line 1: " + file.Problems[0].Message, file.Problems[0].ToString());
    }

    [TestMethod]
    public void Load_ReadsFileWithByteOrderMarkAndCrLf()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials.txt");
        File.WriteAllText(path, "alice alice-pw\r\nbob bob-pw\r\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        var file = CredentialsFile.Load(path);

        CollectionAssert.AreEqual(new[] { "alice", "bob" }, file.Users.ToArray());
        Assert.IsTrue(file.Verify("alice", "alice-pw"));
        Assert.IsTrue(file.Verify("bob", "bob-pw"));
    }

    [TestMethod]
    public void AppendUser_FileWithoutFinalNewline_KeepsExistingLinesAndAddsTheUser()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials.txt");
        File.WriteAllText(path, "# accounts\nalice alice-pw\nbob bob-pw");

        CredentialsFile.AppendUser(path, "carol", "carol-pw");

        Assert.AreEqual("# accounts\nalice alice-pw\nbob bob-pw\ncarol carol-pw\n", File.ReadAllText(path));
        var file = CredentialsFile.Load(path);
        Assert.IsEmpty(file.Problems);
        Assert.IsTrue(file.Verify("bob", "bob-pw"));
        Assert.IsTrue(file.Verify("carol", "carol-pw"));
    }

    [TestMethod]
    public void AppendUser_HashedEntry_VerifiesAfterReload()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials.txt");
        File.WriteAllText(path, "alice alice-pw\n");

        CredentialsFile.AppendUser(path, "dave", PasswordHasher.Hash("dave-pw", FastIterations));

        var file = CredentialsFile.Load(path);
        Assert.IsTrue(file.Verify("dave", "dave-pw"));
        Assert.AreEqual(1, file.PlaintextCount);
    }

    [TestMethod]
    public void AppendUser_MissingFile_IsCreatedOwnerOnly()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials.txt");

        CredentialsFile.AppendUser(path, "alice", "alice-pw");

        Assert.AreEqual("alice alice-pw\n", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    [TestMethod]
    public void AppendUser_ExistingUser_IsRefusedAndFileUnchanged()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials.txt");
        File.WriteAllText(path, "alice alice-pw\n");

        Assert.ThrowsExactly<InvalidOperationException>(() => CredentialsFile.AppendUser(path, "alice", "new-pw"));

        Assert.AreEqual("alice alice-pw\n", File.ReadAllText(path));
    }

    [TestMethod]
    [DataRow("bad name", "pw")]
    [DataRow("", "pw")]
    [DataRow("alice", "")]
    [DataRow("alice", "two words")]
    [DataRow("alice", "line\nbreak")]
    [DataRow("alice", "$pbkdf2-sha256$broken")]
    [DataRow("alice", "$2b$12$foreignhash")]
    public void AppendUser_LineThatWouldNotParse_IsRefusedBeforeTouchingTheFile(string user, string password)
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials.txt");

        Assert.ThrowsExactly<ArgumentException>(() => CredentialsFile.AppendUser(path, user, password));

        Assert.IsFalse(File.Exists(path));
    }

    [TestMethod]
    public void AppendUser_WhileAnotherWriterHoldsTheLock_FailsWithClearError()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials.txt");
        File.WriteAllText(path, "alice alice-pw\n");
        using var holder = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        var error = Assert.ThrowsExactly<IOException>(() => CredentialsFile.AppendUser(path, "bob", "bob-pw"));

        StringAssert.Contains(error.Message, "locked by another writer");
    }

    [TestMethod]
    public async Task AppendUserAsync_WaitsOnTheClockForTheLock_ThenAppends()
    {
        using var folder = new TempFolder();
        var path = folder.File("credentials.txt");
        await File.WriteAllTextAsync(path, "alice alice-pw\n");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var holder = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);

        // The first attempt runs synchronously, fails on the lock, and leaves the task waiting on the fake clock.
        var append = CredentialsFile.AppendUserAsync(path, "bob", "bob-pw", time);
        Assert.IsFalse(append.IsCompleted);
        await holder.DisposeAsync();
        time.Advance(CredentialsFile.AppendLockBackoff);
        await append.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.AreEqual("alice alice-pw\nbob bob-pw\n", await File.ReadAllTextAsync(path));
    }
}
