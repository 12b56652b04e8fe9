using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Messenger.Security.Tests;

[TestClass]
public sealed class TicketTests
{
    private static X509Certificate2 s_server = null!;
    private static X509Certificate2 s_otherServer = null!;
    private static string s_serverSpki = null!;
    private static string s_aliceSpki = null!;
    private static string s_bobSpki = null!;
    private static string s_carolSpki = null!;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero));

    [ClassInitialize]
    public static void CreateIdentities(TestContext context)
    {
        s_server = CertificateFactory.CreateSelfSigned("messenger-server");
        s_otherServer = CertificateFactory.CreateSelfSigned("messenger-server");
        s_serverSpki = Fingerprints.SpkiSha256(s_server);
        using var alice = CertificateFactory.CreateSelfSigned("alice");
        using var bob = CertificateFactory.CreateSelfSigned("bob");
        using var carol = CertificateFactory.CreateSelfSigned("carol");
        s_aliceSpki = Fingerprints.SpkiSha256(alice);
        s_bobSpki = Fingerprints.SpkiSha256(bob);
        s_carolSpki = Fingerprints.SpkiSha256(carol);
    }

    [ClassCleanup]
    public static void DisposeIdentities()
    {
        s_server.Dispose();
        s_otherServer.Dispose();
    }

    /// <summary>What bob, the responder, knows: his own name and key, and alice's key from her TLS certificate.</summary>
    private static TicketExpectation BobExpects(string purpose = TicketPurposes.Private, string? initiator = "alice") => new()
    {
        Purpose = purpose,
        Initiator = initiator,
        Responder = "bob",
        InitiatorFingerprint = s_aliceSpki,
        ResponderFingerprint = s_bobSpki,
    };

    private string IssueAliceToBob(X509Certificate2? signer = null, TimeSpan? lifetime = null)
        => new TicketSigner(signer ?? s_server, _time).Issue(TicketPurposes.Private, "alice", s_aliceSpki, "bob", s_bobSpki, lifetime);

    private TicketValidator Validator(TimeSpan? skew = null) => new(s_serverSpki, _time, skew);

    [TestMethod]
    public void ValidTicket_IsAccepted_WithItsContent()
    {
        var encoded = IssueAliceToBob(lifetime: TimeSpan.FromMinutes(5));

        var result = Validator().Validate(encoded, BobExpects());

        Assert.IsTrue(result.IsValid, result.Message);
        Assert.AreEqual(TicketStatus.Valid, result.Status);
        Assert.AreEqual("alice", result.Ticket.Initiator);
        Assert.AreEqual("bob", result.Ticket.Responder);
        Assert.AreEqual(s_aliceSpki, result.Ticket.InitiatorFingerprint);
        Assert.AreEqual(s_bobSpki, result.Ticket.ResponderFingerprint);
        Assert.AreEqual(TicketPurposes.Private, result.Ticket.Purpose);
        Assert.AreEqual(_time.GetUtcNow(), result.Ticket.IssuedAt);
        Assert.AreEqual(_time.GetUtcNow().AddMinutes(5), result.Ticket.ExpiresAt);
        Assert.AreEqual(32, result.Ticket.TicketId.Length);
    }

    [TestMethod]
    public void ValidTicket_ResponderWhoDoesNotKnowTheInitiatorsName_LearnsItFromTheTicket()
    {
        var result = Validator().Validate(IssueAliceToBob(), BobExpects(initiator: null));

        Assert.IsTrue(result.IsValid, result.Message);
        Assert.AreEqual("alice", result.Ticket.Initiator);
    }

    [TestMethod]
    public void Ticket_ExpiredBeyondSkew_IsRefused()
    {
        var encoded = IssueAliceToBob(lifetime: TimeSpan.FromMinutes(2));

        _time.Advance(TimeSpan.FromMinutes(2) + TicketValidator.DefaultClockSkew);
        var result = Validator().Validate(encoded, BobExpects());

        Assert.AreEqual(TicketStatus.Expired, result.Status);
        Assert.IsFalse(result.IsValid);
        Assert.IsNull(result.Ticket);
        StringAssert.Contains(result.Message, "expired");
    }

    [TestMethod]
    public void Ticket_ExpiredWithinSkew_IsAccepted()
    {
        var encoded = IssueAliceToBob(lifetime: TimeSpan.FromMinutes(2));

        _time.Advance(TimeSpan.FromMinutes(2) + TicketValidator.DefaultClockSkew - TimeSpan.FromSeconds(1));

        Assert.IsTrue(Validator().Validate(encoded, BobExpects()).IsValid);
    }

    [TestMethod]
    public void Ticket_IssuedInTheFutureBeyondSkew_IsRefusedAsNotYetValid()
    {
        var validatorClock = new FakeTimeProvider(_time.GetUtcNow() - TimeSpan.FromSeconds(61));
        var encoded = IssueAliceToBob();

        var result = new TicketValidator(s_serverSpki, validatorClock).Validate(encoded, BobExpects());

        Assert.AreEqual(TicketStatus.NotYetValid, result.Status);
    }

    [TestMethod]
    public void Ticket_IssuedInTheFutureWithinSkew_IsAccepted()
    {
        var validatorClock = new FakeTimeProvider(_time.GetUtcNow() - TimeSpan.FromSeconds(59));
        var encoded = IssueAliceToBob();

        Assert.IsTrue(new TicketValidator(s_serverSpki, validatorClock).Validate(encoded, BobExpects()).IsValid);
    }

    [TestMethod]
    public void ClockSkew_IsConfigurable()
    {
        var encoded = IssueAliceToBob(lifetime: TimeSpan.FromMinutes(2));
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(5));

        Assert.AreEqual(TicketStatus.Expired, Validator(TimeSpan.Zero).Validate(encoded, BobExpects()).Status);
        Assert.IsTrue(Validator(TimeSpan.FromSeconds(10)).Validate(encoded, BobExpects()).IsValid);
    }

    [TestMethod]
    public void Ticket_ForOtherUsers_IsRefused()
    {
        var encoded = IssueAliceToBob();

        var wrongInitiator = Validator().Validate(encoded, BobExpects() with { Initiator = "carol" });
        var wrongResponder = Validator().Validate(encoded, BobExpects() with { Responder = "carol" });

        Assert.AreEqual(TicketStatus.WrongUsers, wrongInitiator.Status);
        Assert.AreEqual(TicketStatus.WrongUsers, wrongResponder.Status);
    }

    [TestMethod]
    public void Ticket_PresentedOverAnotherCertificate_IsRefused()
    {
        var encoded = IssueAliceToBob();

        // Carol replays alice's ticket over her own TLS certificate, or bob is someone else's key.
        var wrongInitiatorKey = Validator().Validate(encoded, BobExpects() with { InitiatorFingerprint = s_carolSpki });
        var wrongResponderKey = Validator().Validate(encoded, BobExpects() with { ResponderFingerprint = s_carolSpki });

        Assert.AreEqual(TicketStatus.WrongFingerprints, wrongInitiatorKey.Status);
        Assert.AreEqual(TicketStatus.WrongFingerprints, wrongResponderKey.Status);
    }

    [TestMethod]
    public void Ticket_ForAnotherPurpose_IsRefused()
    {
        var result = Validator().Validate(IssueAliceToBob(), BobExpects(purpose: TicketPurposes.Swarm));

        Assert.AreEqual(TicketStatus.WrongPurpose, result.Status);
    }

    [TestMethod]
    public void Ticket_WithTamperedContent_IsRefusedAsBadSignature()
    {
        var der = Convert.FromBase64String(IssueAliceToBob());
        // Rename the responder inside the signed JSON, keeping the DER structure intact.
        var tampered = Replace(der, "\"responder\":\"bob\"", "\"responder\":\"eve\"");

        var result = Validator().Validate(Convert.ToBase64String(tampered), BobExpects() with { Responder = "eve" });

        Assert.AreEqual(TicketStatus.BadSignature, result.Status);
    }

    [TestMethod]
    public void Ticket_SignedByAnotherServersKey_IsRefusedAsUntrustedSigner()
    {
        var encoded = IssueAliceToBob(signer: s_otherServer);

        var result = Validator().Validate(encoded, BobExpects());

        Assert.AreEqual(TicketStatus.UntrustedSigner, result.Status);
        StringAssert.Contains(result.Message, Fingerprints.SpkiSha256(s_otherServer));
    }

    [TestMethod]
    public void Ticket_SignedByASelfSignedCertificateEmbeddedInIt_IsRefused()
    {
        // Mallory makes a certificate that looks like the server's and signs a ticket with it; the signature
        // verifies against the embedded certificate, but its key is not the pinned one.
        using var forged = CertificateFactory.CreateSelfSigned(s_server.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        var ticket = new TicketSigner(s_server, _time).Create(TicketPurposes.Private, "alice", s_aliceSpki, "bob", s_bobSpki);
        var cms = new SignedCms(new ContentInfo(Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(ticket, JsonOptions))), detached: false);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.IssuerAndSerialNumber, forged) { IncludeOption = X509IncludeOption.EndCertOnly });

        var result = Validator().Validate(Convert.ToBase64String(cms.Encode()), BobExpects());

        Assert.AreEqual(TicketStatus.UntrustedSigner, result.Status);
    }

    [TestMethod]
    public void Ticket_CarryingTheRealServerCertificate_ButSignedByAnotherKey_IsRefusedAsBadSignature()
    {
        // The forged signer claims the server's subject key identifier and ships the server's real (public)
        // certificate, so the signer resolves to the pinned key, and the signature must fail against it.
        var serverSki = s_server.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier!;
        using var forgedKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=messenger-server", forgedKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(serverSki, critical: false));
        using var forged = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(
            new TicketSigner(s_server, _time).Create(TicketPurposes.Private, "alice", s_aliceSpki, "bob", s_bobSpki), JsonOptions));
        var cms = new SignedCms(new ContentInfo(body), detached: false);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.SubjectKeyIdentifier, forged) { IncludeOption = X509IncludeOption.None });
        using var serverPublic = X509CertificateLoader.LoadCertificate(s_server.RawData);
        cms.AddCertificate(serverPublic);

        var result = Validator().Validate(Convert.ToBase64String(cms.Encode()), BobExpects());

        Assert.AreEqual(TicketStatus.BadSignature, result.Status);
    }

    [TestMethod]
    public void Ticket_WithoutItsSignerCertificate_IsRefused()
    {
        var body = Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(
            new TicketSigner(s_server, _time).Create(TicketPurposes.Private, "alice", s_aliceSpki, "bob", s_bobSpki), JsonOptions));
        var cms = new SignedCms(new ContentInfo(body), detached: false);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.SubjectKeyIdentifier, s_server) { IncludeOption = X509IncludeOption.None });

        var result = Validator().Validate(Convert.ToBase64String(cms.Encode()), BobExpects());

        Assert.AreEqual(TicketStatus.UntrustedSigner, result.Status);
    }

    [TestMethod]
    public void Ticket_SignedByTheServerButNotATicket_IsRefusedAsMalformed()
    {
        var cms = new SignedCms(new ContentInfo("{\"hello\":1}"u8.ToArray()), detached: false);
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.SubjectKeyIdentifier, s_server) { IncludeOption = X509IncludeOption.EndCertOnly });

        var result = Validator().Validate(Convert.ToBase64String(cms.Encode()), BobExpects());

        Assert.AreEqual(TicketStatus.Malformed, result.Status);
    }

    [TestMethod]
    [DataRow(null, DisplayName = "null")]
    [DataRow("", DisplayName = "empty")]
    [DataRow("not base64 at all!", DisplayName = "not base64")]
    [DataRow("AAAA", DisplayName = "base64 of zeros")]
    [DataRow("MIIBAgMEBQY=", DisplayName = "truncated DER")]
    [DataRow("aGVsbG8gd29ybGQ=", DisplayName = "base64 text")]
    public void Garbage_IsRefusedAsMalformed_WithAReason(string? encoded)
    {
        var result = Validator().Validate(encoded, BobExpects());

        Assert.AreEqual(TicketStatus.Malformed, result.Status);
        Assert.IsFalse(string.IsNullOrEmpty(result.Message));
    }

    [TestMethod]
    public void HugeInput_IsRefusedBeforeDecoding()
    {
        var result = Validator().Validate(new string('A', TicketValidator.MaxEncodedLength + 4), BobExpects());

        Assert.AreEqual(TicketStatus.Malformed, result.Status);
        StringAssert.Contains(result.Message, "longer than");
    }

    [TestMethod]
    public void EverySingleByteCorruption_IsRefusedOrChangesNothingSigned_WithoutThrowing()
    {
        var der = Convert.FromBase64String(IssueAliceToBob());
        var validator = Validator();
        var expectation = BobExpects();
        var original = validator.Validate(Convert.ToBase64String(der), expectation);
        Assert.IsTrue(original.IsValid);
        var refused = 0;

        for (var i = 0; i < der.Length; i++)
        {
            var corrupt = (byte[])der.Clone();
            corrupt[i] ^= 0x5A;
            var result = validator.Validate(Convert.ToBase64String(corrupt), expectation);
            if (result.IsValid)
            {
                // Parts of CMS and of the embedded certificate are not covered by the ticket signature (the outer
                // digest algorithm list, the certificate's own dates and self-signature): trust rests on the pinned
                // key and the signed content only, so such a change may pass, but only with the very same ticket.
                Assert.AreEqual(original.Ticket, result.Ticket, $"a ticket corrupted at byte {i} was accepted with other content");
            }
            else
            {
                refused++;
            }
        }
        Console.WriteLine($"{refused} of {der.Length} single-byte corruptions refused");
        Assert.IsGreaterThan(der.Length / 2, refused);
    }

    [TestMethod]
    public void RandomBytes_AreRefusedAsMalformed_WithoutThrowing()
    {
        var random = new Random(3331);
        var validator = Validator();

        for (var i = 0; i < 500; i++)
        {
            var bytes = new byte[random.Next(1, 2048)];
            random.NextBytes(bytes);
            // Half of them start like a DER SEQUENCE so the decoder gets past the first byte.
            if (i % 2 == 0)
            {
                bytes[0] = 0x30;
            }
            Assert.AreEqual(TicketStatus.Malformed, validator.Validate(Convert.ToBase64String(bytes), BobExpects()).Status);
        }
    }

    [TestMethod]
    public void Ticket_WithASecondSigner_IsRefused()
    {
        var cms = new SignedCms();
        cms.Decode(Convert.FromBase64String(IssueAliceToBob()));
        cms.ComputeSignature(new CmsSigner(SubjectIdentifierType.SubjectKeyIdentifier, s_otherServer) { IncludeOption = X509IncludeOption.EndCertOnly });

        var result = Validator().Validate(Convert.ToBase64String(cms.Encode()), BobExpects());

        Assert.AreEqual(TicketStatus.Malformed, result.Status);
        StringAssert.Contains(result.Message, "exactly one signer");
    }

    [TestMethod]
    public void Signer_RefusesToSignAMalformedTicket()
    {
        var signer = new TicketSigner(s_server, _time);

        Assert.ThrowsExactly<ArgumentException>(() => signer.Issue("admin", "alice", s_aliceSpki, "bob", s_bobSpki));
        Assert.ThrowsExactly<ArgumentException>(() => signer.Issue(TicketPurposes.Private, "alice", s_aliceSpki, "alice", s_aliceSpki));
        Assert.ThrowsExactly<ArgumentException>(() => signer.Issue(TicketPurposes.Private, "bad name", s_aliceSpki, "bob", s_bobSpki));
        Assert.ThrowsExactly<ArgumentException>(() => signer.Issue(TicketPurposes.Private, "alice", "not-a-fingerprint", "bob", s_bobSpki));
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => signer.Issue(TicketPurposes.Private, "alice", s_aliceSpki, "bob", s_bobSpki, TimeSpan.Zero));
    }

    [TestMethod]
    public void Signer_NeedsThePrivateKey()
    {
        using var publicOnly = X509CertificateLoader.LoadCertificate(s_server.RawData);

        Assert.ThrowsExactly<ArgumentException>(() => new TicketSigner(publicOnly));
    }

    [TestMethod]
    public void SwarmTicket_IsAcceptedOnlyForSwarm()
    {
        var encoded = new TicketSigner(s_server, _time).Issue(TicketPurposes.Swarm, "alice", s_aliceSpki, "bob", s_bobSpki);

        Assert.IsTrue(Validator().Validate(encoded, BobExpects(purpose: TicketPurposes.Swarm)).IsValid);
        Assert.AreEqual(TicketStatus.WrongPurpose, Validator().Validate(encoded, BobExpects()).Status);
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.CamelCase };

    private static byte[] Replace(byte[] data, string from, string to)
    {
        var needle = Encoding.UTF8.GetBytes(from);
        var index = data.AsSpan().IndexOf(needle);
        Assert.IsGreaterThanOrEqualTo(0, index, $"'{from}' not found in the ticket");
        var copy = (byte[])data.Clone();
        Encoding.UTF8.GetBytes(to).CopyTo(copy, index);
        return copy;
    }
}
