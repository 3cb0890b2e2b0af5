using System.Buffers.Text;
using System.Text.Json.Nodes;
using BetterAuth.Core.Events;
using BetterAuth.Core.Storage;
using BetterAuth.Plugins.Admin;
using BetterAuth.Plugins.Passkey;
using BetterAuth.Plugins.TwoFactor;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BetterAuth.Tests.Plugins.Passkey.PasskeyTestKit;

namespace BetterAuth.Tests.Plugins.Passkey;

/// <summary>POST /passkey/generate-authenticate-options and POST /passkey/verify-authentication.</summary>
public sealed class PasskeySignInTests
{
    private static async Task<SoftAuthenticator> RegisteredAsync(AuthTestHost host, string email, SoftAuthenticator? authenticator = null)
    {
        var (client, _) = await UserAsync(host, email);
        authenticator ??= new SoftAuthenticator();
        Assert.Equal(200, (await RegisterAsync(client, authenticator)).Status);
        return authenticator;
    }

    [Fact]
    public async Task GenerateOptions_WithoutSession_LeavesAllowCredentialsOut_WithSession_ListsTheUsersPasskeys()
    {
        await using var host = await StartAsync();
        var anonymous = await host.Client().PostAsync("/passkey/generate-authenticate-options", new { email = "someone@example.com" });
        Assert.Equal(200, anonymous.Status);
        Assert.Equal(["rpId", "challenge", "timeout", "userVerification"], anonymous.Json!.AsObject().Select(p => p.Key));
        Assert.Equal("localhost", anonymous.Json!["rpId"]!.GetValue<string>());
        Assert.Equal("preferred", anonymous.Json!["userVerification"]!.GetValue<string>());
        Assert.EndsWith("; Max-Age=300; Path=/; HttpOnly; SameSite=Lax", anonymous.Cookie(ChallengeCookie));
        Assert.Equal(200, (await host.Client().PostAsync("/passkey/generate-authenticate-options")).Status);

        var (client, _) = await UserAsync(host, "listed@example.com");
        var authenticator = new SoftAuthenticator();
        await RegisterAsync(client, authenticator);
        var mine = await client.PostAsync("/passkey/generate-authenticate-options", new { });
        Assert.Equal($$"""[{"id":"{{authenticator.Id}}","transports":["internal","hybrid"],"type":"public-key"}]""", mine.Json!["allowCredentials"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"email":5}""")]
    [InlineData("""[]""")]
    [InlineData("""null""")]
    public async Task GenerateOptions_BadBody_IsValidationError(string body)
    {
        await using var host = await StartAsync();
        var r = await host.Client().PostRawAsync("/passkey/generate-authenticate-options", body);
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
    }

    [Fact]
    public async Task SignIn_CreatesASessionWithCookies_AdvancesTheCounter_AndRaisesSignedIn()
    {
        var signedIn = new List<SignedInEvent>();
        await using var host = await StartAsync(services: s => s.AddSingleton<IAuthEventHandler<SignedInEvent>>(new Recorder(signedIn)));
        var authenticator = await RegisteredAsync(host, "signin@example.com");
        signedIn.Clear();
        var browser = host.Client();
        var (r, _) = await SignInAsync(browser, authenticator);
        Assert.Equal(200, r.Status);
        Assert.Equal(["session"], r.Json!.AsObject().Select(p => p.Key));
        Assert.StartsWith(r.Json!["session"]!["token"]!.GetValue<string>() + ".", Uri.UnescapeDataString(browser.Cookies[SessionCookie]));
        Assert.Contains("Max-Age=604800", r.Cookie(SessionCookie));
        var session = await browser.GetAsync("/get-session");
        Assert.Equal("signin@example.com", session.Json!["user"]!["email"]!.GetValue<string>());
        Assert.Equal(1, Assert.Single(await RowsAsync(host)).Counter);
        Assert.Single(signedIn);
    }

    private sealed class Recorder(List<SignedInEvent> events) : IAuthEventHandler<SignedInEvent>
    {
        public ValueTask HandleAsync(SignedInEvent e, CancellationToken ct) { events.Add(e); return ValueTask.CompletedTask; }
    }

    [Fact]
    public async Task SignIn_ReplayedAssertion_IsRefused_WithTheSameOrANewChallenge()
    {
        await using var host = await StartAsync();
        var authenticator = await RegisteredAsync(host, "replay@example.com", new SoftAuthenticator(counterStep: 0));
        var browser = host.Client();
        var (first, assertion) = await SignInAsync(browser, authenticator);
        Assert.Equal(200, first.Status);
        var sessions = await host.WithDbAsync(db => db.Sessions.CountAsync());

        var attacker = host.Client();
        attacker.Cookies[ChallengeCookie] = browser.Cookies[ChallengeCookie] = first.Message.RequestMessage!.Headers.GetValues("Cookie").First()
            .Split("; ").First(c => c.StartsWith(ChallengeCookie + "=", StringComparison.Ordinal))[(ChallengeCookie.Length + 1)..];
        var sameChallenge = await attacker.PostAsync("/passkey/verify-authentication", new { response = assertion });
        Assert.Equal(400, sameChallenge.Status);
        Assert.Equal("CHALLENGE_NOT_FOUND", sameChallenge.Code);

        await attacker.PostAsync("/passkey/generate-authenticate-options", new { });
        var newChallenge = await attacker.PostAsync("/passkey/verify-authentication", new { response = assertion });
        Assert.Equal(400, newChallenge.Status);
        Assert.Equal("AUTHENTICATION_FAILED", newChallenge.Code);
        Assert.Empty(newChallenge.SetCookies);
        Assert.Equal(sessions, await host.WithDbAsync(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task SignIn_WithoutASignatureCounter_WorksEveryTime()
    {
        await using var host = await StartAsync();
        var authenticator = await RegisteredAsync(host, "nocounter@example.com", new SoftAuthenticator(counterStep: 0));
        Assert.Equal(200, (await SignInAsync(host.Client(), authenticator)).Response.Status);
        Assert.Equal(200, (await SignInAsync(host.Client(), authenticator)).Response.Status);
        Assert.Equal(0, Assert.Single(await RowsAsync(host)).Counter);
    }

    [Theory]
    [InlineData(5u, 5u)] // not greater than the stored counter
    [InlineData(5u, 3u)] // lower: a cloned authenticator
    [InlineData(5u, 0u)] // back to zero after counting (SimpleWebAuthn refuses it too)
    public async Task SignIn_CounterThatDoesNotGrow_IsRefused(uint stored, uint presented)
    {
        await using var host = await StartAsync();
        var authenticator = await RegisteredAsync(host, $"counter-{stored}-{presented}@example.com", new SoftAuthenticator() { Counter = stored });
        var browser = host.Client();
        var options = (await browser.PostAsync("/passkey/generate-authenticate-options", new { })).Json!;
        var r = await browser.PostAsync("/passkey/verify-authentication", new { response = authenticator.Authenticate(options, Origin, counter: presented) });
        Assert.Equal(400, r.Status);
        Assert.Equal("AUTHENTICATION_FAILED", r.Code);
        Assert.Equal(stored, Assert.Single(await RowsAsync(host)).Counter);
    }

    public static TheoryData<string> Forgeries => new() { "origin", "rpId", "type", "challenge", "signature", "userPresence" };

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task SignIn_ForgedAssertion_Is400AuthenticationFailed(string forged)
    {
        await using var host = await StartAsync();
        var authenticator = await RegisteredAsync(host, $"forged-{forged}@example.com");
        var browser = host.Client();
        var options = (await browser.PostAsync("/passkey/generate-authenticate-options", new { })).Json!;
        var assertion = forged switch
        {
            "origin" => authenticator.Authenticate(options, "http://localhost.evil.test"),
            "rpId" => authenticator.Authenticate(options, Origin, rpId: "example.com"),
            "type" => authenticator.Authenticate(options, Origin, type: "webauthn.create"),
            "challenge" => authenticator.Authenticate(options, Origin, challenge: Base64Url.EncodeToString(new byte[32])),
            _ => authenticator.Authenticate(options, Origin),
        };
        if (forged == "signature")
        {
            var sig = Base64Url.DecodeFromChars(assertion["response"]!["signature"]!.GetValue<string>());
            sig[^1] ^= 1;
            assertion["response"]!["signature"] = Base64Url.EncodeToString(sig);
        }
        if (forged == "userPresence")
        {
            var data = Base64Url.DecodeFromChars(assertion["response"]!["authenticatorData"]!.GetValue<string>());
            data[32] &= 0xFE; // the signature no longer matches either: both refusals are 400
            assertion["response"]!["authenticatorData"] = Base64Url.EncodeToString(data);
        }
        var r = await browser.PostAsync("/passkey/verify-authentication", new { response = assertion });
        Assert.Equal(400, r.Status);
        Assert.Equal("AUTHENTICATION_FAILED", r.Code);
        Assert.Empty(r.SetCookies);
    }

    [Fact]
    public async Task SignIn_OriginsOption_AllowsSeveralFrontEnds_AndOnlyThem()
    {
        await using var host = await StartAsync(o => o.Origins = ["https://app.example.test", "https://admin.example.test:8443"]);
        var authenticator = new SoftAuthenticator();
        var (client, _) = await UserAsync(host, "fronts@example.com");
        var reg = (await client.GetAsync("/passkey/generate-register-options")).Json!;
        Assert.Equal(200, (await client.PostAsync("/passkey/verify-registration", new { response = authenticator.Register(reg, "https://app.example.test") })).Status);
        foreach (var (origin, status) in new[] { ("https://admin.example.test:8443", 200), ("https://app.example.test", 200), (Origin, 400), ("https://admin.example.test", 400) })
        {
            var browser = host.Client();
            var options = (await browser.PostAsync("/passkey/generate-authenticate-options", new { })).Json!;
            Assert.Equal(status, (await browser.PostAsync("/passkey/verify-authentication", new { response = authenticator.Authenticate(options, origin) })).Status);
        }
    }

    [Fact]
    public async Task SignIn_UnknownCredential_Is401PasskeyNotFound()
    {
        await using var host = await StartAsync();
        var browser = host.Client();
        var options = (await browser.PostAsync("/passkey/generate-authenticate-options", new { })).Json!;
        var r = await browser.PostAsync("/passkey/verify-authentication", new { response = new SoftAuthenticator().Authenticate(options, Origin) });
        Assert.Equal(401, r.Status);
        Assert.Equal("PASSKEY_NOT_FOUND", r.Code);
    }

    [Theory]
    [InlineData("""{}""", 400, "VALIDATION_ERROR")]
    [InlineData("""{"response":"x"}""", 400, "VALIDATION_ERROR")]
    [InlineData("""{"response":[]}""", 400, "VALIDATION_ERROR")]
    [InlineData("""{"response":{}}""", 401, "PASSKEY_NOT_FOUND")]
    [InlineData("""{"response":{"id":5}}""", 401, "PASSKEY_NOT_FOUND")]
    public async Task SignIn_MalformedBody_IsA4xx(string body, int status, string code)
    {
        await using var host = await StartAsync();
        var browser = host.Client();
        await browser.PostAsync("/passkey/generate-authenticate-options", new { });
        var r = await browser.PostRawAsync("/passkey/verify-authentication", body);
        Assert.Equal(status, r.Status);
        Assert.Equal(code, r.Code);
    }

    [Fact]
    public async Task SignIn_MalformedResponseOfAKnownCredential_Is400()
    {
        await using var host = await StartAsync();
        var authenticator = await RegisteredAsync(host, "garbage@example.com");
        foreach (var response in new object[]
                 {
                     new { id = authenticator.Id },
                     new { id = authenticator.Id, rawId = authenticator.Id, type = "public-key", response = new { clientDataJSON = "e30", authenticatorData = "AA", signature = "AA" } },
                     new { id = authenticator.Id, rawId = authenticator.Id, type = "public-key", response = new { clientDataJSON = "***", authenticatorData = 5, signature = "AA" } },
                 })
        {
            var browser = host.Client();
            await browser.PostAsync("/passkey/generate-authenticate-options", new { });
            var r = await browser.PostAsync("/passkey/verify-authentication", new { response });
            Assert.Equal(400, r.Status);
            Assert.Equal("AUTHENTICATION_FAILED", r.Code);
        }
    }

    [Fact]
    public async Task SignIn_ConcurrentAssertionsWithTheSameCounter_OnlyOneSignsIn()
    {
        await using var host = await StartAsync();
        var authenticator = await RegisteredAsync(host, "race@example.com");
        var attempts = new List<(TestClient Browser, JsonObject Assertion)>();
        for (var i = 0; i < 6; i++)
        {
            var browser = host.Client();
            var options = (await browser.PostAsync("/passkey/generate-authenticate-options", new { })).Json!;
            attempts.Add((browser, authenticator.Authenticate(options, Origin, counter: 1)));
        }
        var results = await Task.WhenAll(attempts.Select(a => a.Browser.PostAsync("/passkey/verify-authentication", new { response = a.Assertion })));
        Assert.Single(results, r => r.Status == 200);
    }

    [Fact]
    public async Task SignIn_BannedUser_IsRefusedAsEverySignInIs()
    {
        await using var host = await StartAsync(auth: o => o.Plugins.Add(new AdminPlugin(new AdminOptions())));
        var (client, userId) = await UserAsync(host, "banned@example.com");
        var authenticator = new SoftAuthenticator();
        await RegisterAsync(client, authenticator);
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<bool?>(u, "banned"), true)));
        var before = await host.WithDbAsync(db => db.Sessions.CountAsync());

        var (r, _) = await SignInAsync(host.Client(), authenticator);
        Assert.Equal(403, r.Status);
        Assert.Equal("BANNED_USER", r.Code);
        Assert.Empty(r.SetCookies);
        Assert.Equal(before, await host.WithDbAsync(db => db.Sessions.CountAsync()));
    }

    [Fact]
    public async Task SignIn_UserWithTwoFactor_GetsASessionWithoutTheSecondFactor_AsInBetterAuth()
    {
        await using var host = await StartAsync(auth: o => o.Plugins.Add(new TwoFactorPlugin()));
        var (client, userId) = await UserAsync(host, "tf@example.com");
        var authenticator = new SoftAuthenticator();
        await RegisterAsync(client, authenticator);
        await host.WithDbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => EF.Property<bool?>(u, "twoFactorEnabled"), true)));
        var password = await host.Client().PostAsync("/sign-in/email", new { email = "tf@example.com", password = "password123" });
        Assert.True(password.Json!["twoFactorRedirect"]!.GetValue<bool>());

        var browser = host.Client();
        var (r, _) = await SignInAsync(browser, authenticator);
        Assert.Equal(200, r.Status);
        Assert.NotNull(r.Json!["session"]);
        Assert.Equal(200, (await browser.GetAsync("/get-session")).Status);
        Assert.Equal(userId, (await browser.GetAsync("/get-session")).Json!["user"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task SignIn_RequiredUserVerification_RefusesAnAssertionWithoutIt()
    {
        await using var host = await StartAsync(o => o.AuthenticatorSelection.UserVerification = "required");
        var authenticator = await RegisteredAsync(host, "uv-signin@example.com");
        authenticator.UserVerified = false;
        var browser = host.Client();
        var options = await browser.PostAsync("/passkey/generate-authenticate-options", new { });
        Assert.Equal("required", options.Json!["userVerification"]!.GetValue<string>());
        var r = await browser.PostAsync("/passkey/verify-authentication", new { response = authenticator.Authenticate(options.Json!, Origin) });
        Assert.Equal(400, r.Status);
    }

    [Fact]
    public async Task SignIn_WithAPasskeyStoredByBetterAuth_Verifies()
    {
        // A row as Better Auth 1.2.12 writes it (public key base64 with padding, its own id), inserted behind the server.
        await using var host = await StartAsync();
        var (_, userId) = await UserAsync(host, "stored@example.com");
        var authenticator = new SoftAuthenticator() { Counter = 3 };
        await host.WithDbAsync(async db =>
        {
            db.Set<PasskeyRow>().Add(new PasskeyRow
            {
                Id = "ba-row-0123456789abcdefghijklmnop",
                UserId = userId,
                CredentialID = authenticator.Id,
                PublicKey = Convert.ToBase64String(authenticator.CosePublicKey),
                Counter = 3,
                DeviceType = "singleDevice",
                BackedUp = false,
                Transports = "internal",
                CreatedAt = DateTime.UtcNow,
                Aaguid = "00000000-0000-0000-0000-000000000000",
            });
            return await db.SaveChangesAsync();
        });
        var (r, _) = await SignInAsync(host.Client(), authenticator);
        Assert.Equal(200, r.Status);
        Assert.Equal(4, Assert.Single(await RowsAsync(host)).Counter);
    }
}
