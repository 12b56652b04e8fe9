namespace Messenger.Security.Tests;

[TestClass]
public sealed class PasswordHasherTests
{
    // Low on purpose: the format and the comparison are under test, not PBKDF2's cost.
    private const int FastIterations = 1_000;

    [TestMethod]
    public void Hash_ThenVerify_WithSamePassword_Succeeds()
    {
        var encoded = PasswordHasher.Hash("correct horse", FastIterations);

        Assert.IsTrue(PasswordHasher.Verify("correct horse", encoded));
    }

    [TestMethod]
    public void Verify_WithWrongPassword_Fails()
    {
        var encoded = PasswordHasher.Hash("correct horse", FastIterations);

        Assert.IsFalse(PasswordHasher.Verify("correct horsf", encoded));
        Assert.IsFalse(PasswordHasher.Verify("", encoded));
    }

    [TestMethod]
    public void Hash_WritesTextFormat_WithIterationsSaltAndHashLengths()
    {
        var encoded = PasswordHasher.Hash("pw", FastIterations);

        StringAssert.StartsWith(encoded, "$pbkdf2-sha256$1000$");
        var parsed = PasswordHash.Parse(encoded);
        Assert.AreEqual(FastIterations, parsed.Iterations);
        Assert.AreEqual(PasswordHasher.SaltLength, parsed.Salt.Length);
        Assert.AreEqual(PasswordHasher.HashLength, parsed.Hash.Length);
        Assert.AreEqual(encoded, parsed.ToString());
    }

    [TestMethod]
    public void Hash_UsesFreshSalt_SoSamePasswordHashesDifferently()
    {
        Assert.AreNotEqual(PasswordHasher.Hash("pw", FastIterations), PasswordHasher.Hash("pw", FastIterations));
    }

    [TestMethod]
    public void Hash_DefaultsTo210000Iterations()
    {
        Assert.AreEqual(210_000, PasswordHasher.DefaultIterations);
    }

    [TestMethod]
    public void Verify_KnownVector_MatchesPbkdf2Sha256()
    {
        // PBKDF2-HMAC-SHA256("password", "saltsalt", 1000, 32), computed independently with Python's hashlib.
        const string encoded = "$pbkdf2-sha256$1000$c2FsdHNhbHQ=$E196ZhRPzw+wA84EjzHwJO1cv/MFJdO6C/sxmUeTYqY=";

        Assert.IsTrue(PasswordHasher.Verify("password", encoded));
    }

    [TestMethod]
    [DataRow("", DisplayName = "empty")]
    [DataRow("plaintext", DisplayName = "no prefix")]
    [DataRow("$pbkdf2-sha1$1000$c2FsdHNhbHQ=$c2FsdHNhbHRzYWx0c2FsdA==", DisplayName = "other scheme")]
    [DataRow("$pbkdf2-sha256$1000$c2FsdHNhbHQ=", DisplayName = "missing hash")]
    [DataRow("$pbkdf2-sha256$1000$c2FsdHNhbHQ=$c2FsdHNhbHRzYWx0c2FsdA==$extra", DisplayName = "extra field")]
    [DataRow("$pbkdf2-sha256$abc$c2FsdHNhbHQ=$c2FsdHNhbHRzYWx0c2FsdA==", DisplayName = "iterations not a number")]
    [DataRow("$pbkdf2-sha256$-5$c2FsdHNhbHQ=$c2FsdHNhbHRzYWx0c2FsdA==", DisplayName = "negative iterations")]
    [DataRow("$pbkdf2-sha256$0$c2FsdHNhbHQ=$c2FsdHNhbHRzYWx0c2FsdA==", DisplayName = "zero iterations")]
    [DataRow("$pbkdf2-sha256$99999999999$c2FsdHNhbHQ=$c2FsdHNhbHRzYWx0c2FsdA==", DisplayName = "iterations overflow")]
    [DataRow("$pbkdf2-sha256$2000000000$c2FsdHNhbHQ=$c2FsdHNhbHRzYWx0c2FsdA==", DisplayName = "iterations above cap")]
    [DataRow("$pbkdf2-sha256$1000$!!!!$c2FsdHNhbHRzYWx0c2FsdA==", DisplayName = "salt not base64")]
    [DataRow("$pbkdf2-sha256$1000$YQ==$c2FsdHNhbHRzYWx0c2FsdA==", DisplayName = "salt too short")]
    [DataRow("$pbkdf2-sha256$1000$c2FsdHNhbHQ=$c2FsdA==", DisplayName = "hash too short")]
    [DataRow("$pbkdf2-sha256$1000$c2FsdHNhbHQ=$", DisplayName = "hash empty")]
    public void Verify_MalformedHash_IsRefusedWithFormatException(string encoded)
    {
        var error = Assert.ThrowsExactly<FormatException>(() => PasswordHasher.Verify("password", encoded));

        StringAssert.StartsWith(error.Message, "Malformed password hash:");
        Assert.IsFalse(PasswordHash.TryParse(encoded, out _, out var reason));
        Assert.IsFalse(string.IsNullOrEmpty(reason));
    }

    [TestMethod]
    public void Verify_HugeHashField_IsRefusedWithoutDecoding()
    {
        var encoded = "$pbkdf2-sha256$1000$c2FsdHNhbHQ=$" + new string('A', 1_000_000);

        Assert.ThrowsExactly<FormatException>(() => PasswordHasher.Verify("password", encoded));
    }

    [TestMethod]
    public void Hash_IterationsOutOfRange_Throws()
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PasswordHasher.Hash("pw", 0));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => PasswordHasher.Hash("pw", PasswordHash.MaxIterations + 1));
    }

    [TestMethod]
    [DataRow("secret", "secret", true)]
    [DataRow("secret", "secreT", false)]
    [DataRow("secret", "secret-and-more", false)]
    [DataRow("", "secret", false)]
    [DataRow("pässwörd", "pässwörd", true)]
    public void VerifyPlain_ComparesExactly(string password, string expected, bool matches)
    {
        Assert.AreEqual(matches, PasswordHasher.VerifyPlain(password, expected));
    }
}
