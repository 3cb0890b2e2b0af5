using System.Text.Json.Nodes;
using BetterAuth.Plugins.Jwt;
using BetterAuth.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static BetterAuth.Tests.Plugins.Jwt.JwtTestKit;

namespace BetterAuth.Tests.Plugins.Jwt;

public class JwtTokenTests
{
    [Fact]
    public async Task Token_IsAnEdDsaJwtOfTheUser_WithBetterAuthsClaims_SignedByAListedKey()
    {
        await using var host = await StartAsync();
        var (client, userId) = await SignedUpAsync(host, "jwt@example.com");
        var token = await TokenAsync(client);

        var header = Header(token);
        Assert.Equal(["alg", "kid"], header.Select(p => p.Key).ToArray());
        Assert.Equal("EdDSA", header["alg"]!.GetValue<string>());
        var claims = Claims(token);
        // The user as get-session writes it, then iat, iss, aud, exp and sub, in that order.
        var session = (await client.GetAsync("/get-session")).Json!["user"]!.AsObject();
        Assert.Equal(session.Select(p => p.Key).Concat(["iat", "iss", "aud", "exp", "sub"]), claims.Select(p => p.Key));
        Assert.Equal(userId, claims["sub"]!.GetValue<string>());
        Assert.Equal("jwt@example.com", claims["email"]!.GetValue<string>());
        Assert.Equal(AuthTestHost.Origin, claims["iss"]!.GetValue<string>());
        Assert.Equal(AuthTestHost.Origin, claims["aud"]!.GetValue<string>());
        var iat = claims["iat"]!.GetValue<long>();
        Assert.Equal(host.Clock.GetUtcNow().ToUnixTimeSeconds(), iat);
        Assert.Equal(iat + 900, claims["exp"]!.GetValue<long>());
        Assert.True(VerifiesWithEd25519(token, await KeyOfAsync(client, token)));
    }

    [Fact]
    public async Task Token_WithoutASession_Is401WithoutABody()
    {
        await using var host = await StartAsync();
        var r = await host.Client().GetAsync("/token");
        Assert.Equal(401, r.Status);
        Assert.Equal("", r.Text);
    }

    [Theory]
    [InlineData("ES256")]
    [InlineData("ES512")]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public async Task Token_OfEveryOtherAlgorithm_ValidatesWithMicrosoftIdentityModelAgainstJwks(string alg)
    {
        await using var host = await StartAsync(o => o.Jwks.KeyPairConfig.Alg = alg);
        var (client, userId) = await SignedUpAsync(host, $"{alg}@example.com");
        var token = await TokenAsync(client);
        Assert.Equal(alg, Header(token)["alg"]!.GetValue<string>());

        var keys = new JsonWebKeySet((await client.GetAsync("/jwks")).Text);
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidIssuer = AuthTestHost.Origin,
            ValidAudience = AuthTestHost.Origin,
            ValidAlgorithms = [alg],
            // The test clock is fixed in the past; lifetimes are checked against it.
            LifetimeValidator = (_, expires, _, _) => expires > host.Clock.GetUtcNow().UtcDateTime,
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal(userId, result.Claims["sub"]);

        var tampered = token[..^4] + (token[^4] == 'A' ? "BBBB" : "AAAA");
        var refused = await new JsonWebTokenHandler().ValidateTokenAsync(tampered, new TokenValidationParameters
        {
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidateIssuer = false,
            ValidateAudience = false,
            ValidateLifetime = false,
        });
        Assert.False(refused.IsValid);
    }

    [Fact]
    public async Task GetSession_CarriesSetAuthJwt_ExposedToBrowsers_AndNoneWithoutASession()
    {
        await using var host = await StartAsync();
        var (client, userId) = await SignedUpAsync(host, "header@example.com");
        var r = await client.GetAsync("/get-session");
        var jwt = r.Header("set-auth-jwt");
        Assert.NotNull(jwt);
        Assert.Equal(userId, Claims(jwt)["sub"]!.GetValue<string>());
        Assert.Equal("set-auth-jwt", r.Header("Access-Control-Expose-Headers"));
        Assert.True(VerifiesWithEd25519(jwt, await KeyOfAsync(client, jwt)));

        var anonymous = await host.Client().GetAsync("/get-session");
        Assert.Equal("null", anonymous.Text);
        Assert.Null(anonymous.Header("set-auth-jwt"));
    }

    [Fact]
    public async Task GetSession_ExposesBothHeaders_WhenItAlsoSetsTheBearerToken()
    {
        await using var host = await StartAsync();
        var (client, _) = await SignedUpAsync(host, "both@example.com");
        // Past updateAge (1 day) get-session refreshes the session and sets the cookie (and set-auth-token) again.
        host.Clock.Advance(TimeSpan.FromDays(2));
        var r = await client.GetAsync("/get-session");
        Assert.NotNull(r.Header("set-auth-token"));
        Assert.NotNull(r.Header("set-auth-jwt"));
        Assert.Equal("set-auth-token, set-auth-jwt", r.Header("Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task Options_IssuerAudienceLifetimePayloadAndSubject_AreApplied()
    {
        await using var host = await StartAsync(o =>
        {
            o.Jwt.Issuer = "https://issuer.example";
            o.Jwt.Audience = "https://api.example";
            o.Jwt.ExpirationTime = "2 hours";
            o.Jwt.DefinePayload = s => new JsonObject { ["email"] = s.User.Email, ["plan"] = "pro" };
            o.Jwt.GetSubject = s => "user:" + s.User.Id;
        });
        var (client, userId) = await SignedUpAsync(host, "options@example.com");
        var claims = Claims(await TokenAsync(client));
        Assert.Equal(["email", "plan", "iat", "iss", "aud", "exp", "sub"], claims.Select(p => p.Key).ToArray());
        Assert.Equal("https://issuer.example", claims["iss"]!.GetValue<string>());
        Assert.Equal("https://api.example", claims["aud"]!.GetValue<string>());
        Assert.Equal(7200, claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>());
        Assert.Equal("user:" + userId, claims["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task DisableSettingJwtHeader_LeavesGetSessionAlone()
    {
        await using var host = await StartAsync(o => o.DisableSettingJwtHeader = true);
        var (client, _) = await SignedUpAsync(host, "noheader@example.com");
        var r = await client.GetAsync("/get-session");
        Assert.Equal(200, r.Status);
        Assert.Null(r.Header("set-auth-jwt"));
        Assert.Equal(200, (await client.GetAsync("/token")).Status);
    }

    [Theory]
    [InlineData("15m", 900)]
    [InlineData("1 hour", 3600)]
    [InlineData("2d", 172800)]
    [InlineData("1.5h", 5400)]
    [InlineData("30 secs", 30)]
    [InlineData("1w", 604800)]
    [InlineData("1y", 31557600)]
    [InlineData("10 minutes from now", 600)]
    [InlineData("-5m", -300)]
    [InlineData("5 min ago", -300)]
    public void TimeSpans_ReadAsJoseReadsThem(string text, long seconds)
    {
        Assert.True(JwtTimeSpan.TryParseSeconds(text, out var parsed));
        Assert.Equal(seconds, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("15")]
    [InlineData("15 months")]
    [InlineData("m15")]
    public void TimeSpans_NotInJoseSyntax_AreRefused(string text) => Assert.False(JwtTimeSpan.TryParseSeconds(text, out _));

    [Theory]
    [InlineData("ECDH-ES", null, null, null)]
    [InlineData("EdDSA", "Ed448", null, null)]
    [InlineData("HS256", null, null, null)]
    [InlineData("RS256", null, 1024, null)]
    [InlineData("EdDSA", null, null, "15 months")]
    public void Options_ThatCannotSign_AreRefusedAtStart(string alg, string? crv, int? modulus, string? expiration)
    {
        var options = new JwtOptions();
        options.Jwks.KeyPairConfig = new JwtKeyPairConfig { Alg = alg, Crv = crv, ModulusLength = modulus };
        if (expiration is not null) options.Jwt.ExpirationTime = expiration;
        Assert.Throws<InvalidOperationException>(() => new JwtPlugin(options));
    }
}
