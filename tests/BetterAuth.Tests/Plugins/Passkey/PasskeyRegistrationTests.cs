using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using BetterAuth.Tests.Support;
using static BetterAuth.Tests.Plugins.Passkey.PasskeyTestKit;

namespace BetterAuth.Tests.Plugins.Passkey;

/// <summary>GET /passkey/generate-register-options and POST /passkey/verify-registration.</summary>
public sealed class PasskeyRegistrationTests
{
    [Fact]
    public async Task GenerateOptions_HasSimpleWebAuthnsShape_AndSetsTheChallengeCookie()
    {
        await using var host = await StartAsync(o => o.RpName = "Acme");
        var (client, _) = await UserAsync(host, "opts@example.com");
        var r = await client.GetAsync("/passkey/generate-register-options");
        Assert.Equal(200, r.Status);
        var json = r.Json!.AsObject();
        Assert.Equal(["challenge", "rp", "user", "pubKeyCredParams", "timeout", "attestation", "excludeCredentials", "authenticatorSelection",
            "extensions", "hints"], json.Select(p => p.Key));
        Assert.Equal(32, Base64Url.DecodeFromChars(json["challenge"]!.GetValue<string>()).Length);
        Assert.Equal("""{"name":"Acme","id":"localhost"}""", json["rp"]!.ToJsonString());
        Assert.Equal("opts@example.com", json["user"]!["name"]!.GetValue<string>());
        // The WebAuthn user handle is 32 random letters and digits, as Better Auth makes it (not the user id).
        Assert.Matches("^[a-z0-9]{32}$", Encoding.UTF8.GetString(Base64Url.DecodeFromChars(json["user"]!["id"]!.GetValue<string>())));
        Assert.Equal("""[{"alg":-8,"type":"public-key"},{"alg":-7,"type":"public-key"},{"alg":-257,"type":"public-key"}]""", json["pubKeyCredParams"]!.ToJsonString());
        Assert.Equal("none", json["attestation"]!.GetValue<string>());
        Assert.Equal("""{"residentKey":"preferred","userVerification":"preferred","requireResidentKey":false}""", json["authenticatorSelection"]!.ToJsonString());
        Assert.Equal("""{"credProps":true}""", json["extensions"]!.ToJsonString());
        var cookie = r.Cookie(ChallengeCookie)!;
        Assert.EndsWith("; Max-Age=300; Path=/; HttpOnly; SameSite=Lax", cookie);
    }

    [Fact]
    public async Task GenerateOptions_AttachmentFromQueryOrOptions_ExcludesRegisteredPasskeys_AndRefusesUnknownAttachments()
    {
        await using var host = await StartAsync(o => o.AuthenticatorSelection = new() { ResidentKey = "required", UserVerification = "required", AuthenticatorAttachment = "cross-platform" });
        var (client, _) = await UserAsync(host, "attach@example.com");
        var authenticator = new SoftAuthenticator();
        Assert.Equal(200, (await RegisterAsync(client, authenticator)).Status);

        var r = await client.GetAsync("/passkey/generate-register-options?authenticatorAttachment=platform");
        Assert.Equal("""{"residentKey":"required","userVerification":"required","authenticatorAttachment":"platform","requireResidentKey":true}""",
            r.Json!["authenticatorSelection"]!.ToJsonString());
        Assert.Equal($$"""[{"id":"{{authenticator.Id}}","transports":["internal","hybrid"],"type":"public-key"}]""", r.Json!["excludeCredentials"]!.ToJsonString());
        Assert.Equal("cross-platform", (await client.GetAsync("/passkey/generate-register-options")).Json!["authenticatorSelection"]!["authenticatorAttachment"]!.GetValue<string>());

        var bad = await client.GetAsync("/passkey/generate-register-options?authenticatorAttachment=usb");
        Assert.Equal(400, bad.Status);
        Assert.Equal("VALIDATION_ERROR", bad.Code);
    }

    [Fact]
    public async Task Registration_NeedsAFreshSession()
    {
        await using var host = await StartAsync(auth: o => o.Session.FreshAge = 600);
        Assert.Equal(401, (await host.Client().GetAsync("/passkey/generate-register-options")).Status);
        var (client, _) = await UserAsync(host, "stale@example.com");
        host.Clock.Advance(TimeSpan.FromSeconds(601));
        var stale = await client.GetAsync("/passkey/generate-register-options");
        Assert.Equal(403, stale.Status);
        Assert.Equal("SESSION_IS_NOT_FRESH", stale.Code);
    }

    [Fact]
    public async Task Verify_StoresBetterAuthsRow_AndAnswersIt()
    {
        await using var host = await StartAsync();
        var (client, userId) = await UserAsync(host, "reg@example.com");
        var authenticator = new SoftAuthenticator(backupEligible: true) { Counter = 7 };
        var r = await RegisterAsync(client, authenticator, name: "Laptop");
        Assert.Equal(200, r.Status);
        var json = r.Json!.AsObject();
        Assert.Equal(["name", "publicKey", "userId", "credentialID", "counter", "deviceType", "backedUp", "transports", "createdAt", "aaguid", "id"],
            json.Select(p => p.Key));

        var row = Assert.Single(await RowsAsync(host));
        Assert.Equal(json["id"]!.GetValue<string>(), row.Id);
        Assert.Equal("Laptop", row.Name);
        Assert.Equal(userId, row.UserId);
        Assert.Equal(authenticator.Id, row.CredentialID);
        Assert.Equal(Convert.ToBase64String(authenticator.CosePublicKey), row.PublicKey);
        Assert.Equal(7, row.Counter);
        Assert.Equal("multiDevice", row.DeviceType);
        Assert.True(row.BackedUp);
        Assert.Equal("internal,hybrid", row.Transports);
        Assert.Equal("00000000-0000-0000-0000-000000000000", row.Aaguid);
        Assert.Equal(host.Runtime.Now, row.CreatedAt);
        Assert.Equal("2026-01-15T12:00:00.000Z", json["createdAt"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_WithoutTransportsOrName_StoresNulls()
    {
        await using var host = await StartAsync();
        var (client, _) = await UserAsync(host, "bare@example.com");
        var r = await RegisterAsync(client, new SoftAuthenticator(transports: null) { Transports = null });
        Assert.Equal(200, r.Status); // Better Auth 1.2.12 answers 500 here
        Assert.Null(r.Json!["name"]);
        Assert.Null(r.Json!["transports"]);
        Assert.Equal("singleDevice", r.Json!["deviceType"]!.GetValue<string>());
    }

    [Fact]
    public async Task Verify_ChallengeIsSingleUse_AndExpiresFromWhenItWasMade()
    {
        await using var host = await StartAsync();
        var (client, _) = await UserAsync(host, "once@example.com");
        var options = (await client.GetAsync("/passkey/generate-register-options")).Json!;
        var response = new SoftAuthenticator().Register(options, Origin);
        Assert.Equal(200, (await client.PostAsync("/passkey/verify-registration", new { response })).Status);
        var replay = await client.PostAsync("/passkey/verify-registration", new { response });
        Assert.Equal(400, replay.Status);
        Assert.Equal("CHALLENGE_NOT_FOUND", replay.Code);

        var late = (await client.GetAsync("/passkey/generate-register-options")).Json!;
        host.Clock.Advance(TimeSpan.FromSeconds(301));
        var expired = await client.PostAsync("/passkey/verify-registration", new { response = new SoftAuthenticator().Register(late, Origin) });
        Assert.Equal(400, expired.Status);
        Assert.Equal("CHALLENGE_NOT_FOUND", expired.Code);
        Assert.Single(await RowsAsync(host));
    }

    [Fact]
    public async Task Verify_WithoutChallengeCookie_OrWithAnAuthenticationChallenge_IsChallengeNotFound()
    {
        await using var host = await StartAsync();
        var (client, _) = await UserAsync(host, "nocookie@example.com");
        var none = await client.PostAsync("/passkey/verify-registration", new { response = new { } });
        Assert.Equal(400, none.Status);
        Assert.Equal("CHALLENGE_NOT_FOUND", none.Code);

        var signIn = (await client.PostAsync("/passkey/generate-authenticate-options", new { })).Json!;
        var forged = new JsonObject { ["challenge"] = signIn["challenge"]!.GetValue<string>(), ["rp"] = new JsonObject { ["id"] = "localhost" } };
        var other = await client.PostAsync("/passkey/verify-registration", new { response = new SoftAuthenticator().Register(forged, Origin) });
        Assert.Equal(400, other.Status);
        Assert.Equal("CHALLENGE_NOT_FOUND", other.Code);
        Assert.Empty(await RowsAsync(host));
    }

    [Fact]
    public async Task Verify_AnotherUsersChallenge_Is401()
    {
        await using var host = await StartAsync();
        var (alice, _) = await UserAsync(host, "alice@example.com");
        var (bob, _) = await UserAsync(host, "bob@example.com");
        var options = (await alice.GetAsync("/passkey/generate-register-options")).Json!;
        bob.Cookies[ChallengeCookie] = alice.Cookies[ChallengeCookie];
        var r = await bob.PostAsync("/passkey/verify-registration", new { response = new SoftAuthenticator().Register(options, Origin) });
        Assert.Equal(401, r.Status);
        Assert.Equal("YOU_ARE_NOT_ALLOWED_TO_REGISTER_THIS_PASSKEY", r.Code);
        Assert.Empty(await RowsAsync(host));
    }

    public static TheoryData<string> Forgeries => new() { "origin", "rpId", "type", "challenge", "fmt" };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Verify_ForgedCeremony_Is400FailedToVerify(string forged)
    {
        await using var host = await StartAsync();
        var (client, _) = await UserAsync(host, $"forged-{forged}@example.com");
        var options = (await client.GetAsync("/passkey/generate-register-options")).Json!;
        var authenticator = new SoftAuthenticator();
        var response = forged switch
        {
            "origin" => authenticator.Register(options, "http://localhost:4000"),
            "rpId" => authenticator.Register(options, Origin, rpId: "example.com"),
            "type" => authenticator.Register(options, Origin, type: "webauthn.get"),
            "challenge" => authenticator.Register(options, Origin, challenge: Base64Url.EncodeToString(new byte[32])),
            _ => authenticator.Register(options, Origin, fmt: "packed"),
        };
        var r = await client.PostAsync("/passkey/verify-registration", new { response });
        Assert.Equal(400, r.Status);
        Assert.Equal("FAILED_TO_VERIFY_REGISTRATION", r.Code);
        Assert.Empty(await RowsAsync(host));
    }

    [Theory]
    [InlineData("""{}""")]
    [InlineData("""{"response":null}""")]
    [InlineData("""{"response":"text"}""")]
    [InlineData("""{"response":{"id":"abc"}}""")]
    [InlineData("""{"response":{"id":"AAAA","rawId":"AAAA","type":"public-key","response":{"clientDataJSON":"e30","attestationObject":"oA"}}}""")]
    [InlineData("""{"response":{"id":"AAAA","rawId":"AAAB","type":"public-key","response":{"clientDataJSON":"!!","attestationObject":"%%"}}}""")]
    public async Task Verify_MalformedResponse_Is400NotA500(string body)
    {
        await using var host = await StartAsync();
        var (client, _) = await UserAsync(host, "malformed@example.com");
        await client.GetAsync("/passkey/generate-register-options");
        var r = await client.PostRawAsync("/passkey/verify-registration", body);
        Assert.Equal(400, r.Status);
        Assert.Equal("FAILED_TO_VERIFY_REGISTRATION", r.Code);
    }

    [Fact]
    public async Task Verify_NameNotAString_IsValidationError()
    {
        await using var host = await StartAsync();
        var (client, _) = await UserAsync(host, "name@example.com");
        var r = await client.PostRawAsync("/passkey/verify-registration", """{"response":{},"name":5}""");
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
    }

    [Fact]
    public async Task Verify_ACredentialIdRegisteredAlready_IsRefusedForAnyUser()
    {
        await using var host = await StartAsync();
        var (alice, _) = await UserAsync(host, "dup-a@example.com");
        var (bob, _) = await UserAsync(host, "dup-b@example.com");
        var authenticator = new SoftAuthenticator();
        Assert.Equal(200, (await RegisterAsync(alice, authenticator)).Status);
        foreach (var client in new[] { alice, bob })
        {
            var again = await RegisterAsync(client, authenticator);
            Assert.Equal(400, again.Status);
            Assert.Equal("PREVIOUSLY_REGISTERED", again.Code);
        }
        Assert.Single(await RowsAsync(host));
    }

    [Fact]
    public async Task Verify_ConcurrentRegistrationsOfOneCredential_StoreOneRow()
    {
        await using var host = await StartAsync();
        var authenticator = new SoftAuthenticator();
        var clients = new List<(TestClient Client, JsonObject Response)>();
        for (var i = 0; i < 6; i++)
        {
            var (client, _) = await UserAsync(host, $"race-{i}@example.com");
            var options = (await client.GetAsync("/passkey/generate-register-options")).Json!;
            clients.Add((client, authenticator.Register(options, Origin)));
        }
        var results = await Task.WhenAll(clients.Select(c => c.Client.PostAsync("/passkey/verify-registration", new { response = c.Response })));
        Assert.Single(results, r => r.Status == 200);
        Assert.All(results.Where(r => r.Status != 200), r => Assert.Equal("PREVIOUSLY_REGISTERED", r.Code));
        Assert.Single(await RowsAsync(host));
    }

    [Fact]
    public async Task Verify_RequiredUserVerification_RefusesAResponseWithoutIt()
    {
        await using var host = await StartAsync(o => o.AuthenticatorSelection.UserVerification = "required");
        var (client, _) = await UserAsync(host, "uv@example.com");
        var r = await RegisterAsync(client, new SoftAuthenticator(userVerified: false));
        Assert.Equal(400, r.Status);
        Assert.Equal(200, (await RegisterAsync(client, new SoftAuthenticator(userVerified: true))).Status);
    }

    [Fact]
    public async Task Verify_WithDefaultOptions_AcceptsAResponseWithoutUserVerification()
    {
        await using var host = await StartAsync();
        var (client, _) = await UserAsync(host, "nouv@example.com");
        Assert.Equal(200, (await RegisterAsync(client, new SoftAuthenticator(userVerified: false))).Status);
    }
}
