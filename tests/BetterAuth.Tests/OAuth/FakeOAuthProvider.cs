using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetterAuth.Core.OAuth;
using BetterAuth.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BetterAuth.Tests.OAuth;

/// <summary>A user as the fake provider knows them.</summary>
public sealed record FakeUser(string Sub, string Email, string Name = "Fake User", bool EmailVerified = true);

/// <summary>
/// A tiny OpenID Connect provider living inside the test's HttpClient (a stub message handler): discovery, JWKS with a
/// real RSA key, an authorization step the test performs in place of a browser, the code grant with PKCE checked,
/// refresh, user info (OIDC and GitHub-shaped). It runs on the host's fake clock, and can be taken down.
/// </summary>
public sealed class FakeOAuthProvider
{
    public const string Issuer = "https://idp.test";
    public const string ClientId = "test-client";
    public const string ClientSecret = "test-secret";

    private readonly ConcurrentDictionary<string, (FakeUser User, string? Challenge, string RedirectUri)> _codes = new();
    private readonly ConcurrentDictionary<string, FakeUser> _accessTokens = new();
    private readonly ConcurrentDictionary<string, FakeUser> _refreshTokens = new();

    public TimeProvider Clock { get; set; } = TimeProvider.System;
    public RsaSecurityKey Key { get; } = NewKey("key-1");
    /// <summary>When set, every request waits until cancelled: the provider is down.</summary>
    public bool Down { get; set; }
    private int _tokenCalls;
    private int _refreshCalls;
    public int TokenCalls => Volatile.Read(ref _tokenCalls);
    public int RefreshCalls => Volatile.Read(ref _refreshCalls);
    public int ExpiresIn { get; set; } = 3600;
    public string Scope { get; set; } = "openid email profile";
    public List<string> Requests { get; } = new();
    /// <summary>Leave the email out of the ID tokens the token endpoint issues (clients then need the user-info endpoint).</summary>
    public bool IdTokensWithoutEmail { get; set; }
    /// <summary>Whom the user-info endpoint describes for an access token's user: a provider that mixes users up.</summary>
    public Func<FakeUser, FakeUser> UserInfoSubject { get; set; } = user => user;

    public static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    /// <summary>Options for a provider served by this fake (a generic OIDC one by default, found through discovery).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Read as idp.Options(...), like the fake's other members; which instance answers is the test's choice.")]
    public SocialProviderOptions Options(string? type = null) => type switch
    {
        null or "oidc" => new SocialProviderOptions { ClientId = ClientId, ClientSecret = ClientSecret, DiscoveryUrl = Issuer + "/.well-known/openid-configuration", TimeoutSeconds = 1 },
        "google" => new SocialProviderOptions
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            AuthorizationEndpoint = Issuer + "/authorize",
            TokenEndpoint = Issuer + "/token",
            JwksUri = Issuer + "/jwks",
            Issuer = Issuer,
            TimeoutSeconds = 1,
        },
        "github" => new SocialProviderOptions
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            AuthorizationEndpoint = Issuer + "/authorize",
            TokenEndpoint = Issuer + "/token",
            UserInfoEndpoint = Issuer + "/github/user",
            TimeoutSeconds = 1,
        },
        // Built-in providers whose every endpoint is overridden to point here.
        "apple" or "facebook" or "microsoft" or "discord" or "gitlab" => new SocialProviderOptions
        {
            ClientId = ClientId,
            ClientSecret = ClientSecret,
            AuthorizationEndpoint = Issuer + "/authorize",
            TokenEndpoint = Issuer + "/token",
            UserInfoEndpoint = Issuer + "/userinfo",
            JwksUri = Issuer + "/jwks",
            Issuer = Issuer,
            TimeoutSeconds = 1,
        },
        _ => throw new ArgumentException(type),
    };

    /// <summary>An access token of <paramref name="user"/>'s, as a client (or an attacker holding one) would have it.</summary>
    public string AccessTokenFor(FakeUser user)
    {
        var access = "at-" + Guid.NewGuid().ToString("N");
        _accessTokens[access] = user;
        return access;
    }

    /// <summary>Routes the library's OAuth HttpClient to this fake.</summary>
    public void Register(IServiceCollection services) =>
        services.AddHttpClient(OAuthHttp.ClientName).ConfigurePrimaryHttpMessageHandler(() => new Handler(this));

    /// <summary>Starts a host whose provider <paramref name="id"/> (of <paramref name="type"/>) is this fake.</summary>
    public async Task<AuthTestHost> StartHostAsync(string id = "oidc", string? type = null, Action<BetterAuthOptions>? configure = null,
        Action<SocialProviderOptions>? provider = null)
    {
        var host = await AuthTestHost.StartAsync(o =>
        {
            var options = Options(type);
            provider?.Invoke(options);
            o.SocialProviders[id] = options;
            configure?.Invoke(o);
        }, Register);
        Clock = host.Clock;
        return host;
    }

    /// <summary>What a browser does at the provider: the user consents, the provider redirects back with a code.</summary>
    public string Authorize(string authorizationUrl, FakeUser user)
    {
        var query = QueryOf(authorizationUrl);
        Assert.Equal(ClientId, query["client_id"]);
        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _codes[code] = (user, query.GetValueOrDefault("code_challenge"), query["redirect_uri"]);
        return $"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"])}";
    }

    public static Dictionary<string, string> QueryOf(string url)
    {
        var q = new Uri(url).Query.TrimStart('?');
        return q.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0].Replace('+', ' ')), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : "");
    }

    /// <summary>An ID token as the provider signs it; every claim can be bent for negative tests.</summary>
    public string IdToken(FakeUser user, string? audience = ClientId, string? nonce = null, TimeSpan? lifetime = null,
        SecurityKey? key = null, string issuer = Issuer, DateTime? issuedAt = null, bool withEmail = true, string? atHashOf = null)
    {
        var now = issuedAt ?? Clock.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = user.Sub,
            ["name"] = user.Name,
            ["picture"] = $"https://img.test/{user.Sub}.png",
        };
        if (withEmail)
        {
            claims["email"] = user.Email;
            claims["email_verified"] = user.EmailVerified;
        }
        if (nonce is not null) claims["nonce"] = nonce;
        if (atHashOf is not null) claims["at_hash"] = OAuthUrl.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(atHashOf))[..16]);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Claims = claims,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.RsaSha256),
        });
    }

    private async Task<HttpResponseMessage> HandleAsync(HttpRequestMessage request, CancellationToken ct)
    {
        lock (Requests) Requests.Add($"{request.Method} {request.RequestUri!.AbsolutePath}");
        if (Down) await Task.Delay(Timeout.Infinite, ct);
        var path = request.RequestUri!.AbsolutePath;
        return path switch
        {
            "/.well-known/openid-configuration" => Json(new JsonObject
            {
                ["issuer"] = Issuer,
                ["authorization_endpoint"] = Issuer + "/authorize",
                ["token_endpoint"] = Issuer + "/token",
                ["userinfo_endpoint"] = Issuer + "/userinfo",
                ["jwks_uri"] = Issuer + "/jwks",
            }),
            "/jwks" => Json(Jwks(Key)),
            "/token" => await TokenAsync(request),
            "/userinfo" => UserInfo(request, github: false),
            "/github/user" => UserInfo(request, github: true),
            "/github/user/emails" => Emails(request),
            _ => new HttpResponseMessage(HttpStatusCode.NotFound),
        };
    }

    private async Task<HttpResponseMessage> TokenAsync(HttpRequestMessage request)
    {
        var form = QueryOf("https://x/?" + await request.Content!.ReadAsStringAsync());
        if (form.GetValueOrDefault("client_id") != ClientId || form.GetValueOrDefault("client_secret") != ClientSecret)
            return Json(new JsonObject { ["error"] = "invalid_client" }, HttpStatusCode.Unauthorized);
        FakeUser user;
        if (form["grant_type"] == "refresh_token")
        {
            Interlocked.Increment(ref _refreshCalls);
            if (!_refreshTokens.TryRemove(form["refresh_token"], out user!)) return Json(new JsonObject { ["error"] = "invalid_grant" }, HttpStatusCode.BadRequest);
        }
        else
        {
            Interlocked.Increment(ref _tokenCalls);
            if (!_codes.TryRemove(form.GetValueOrDefault("code") ?? "", out var grant) || grant.RedirectUri != form.GetValueOrDefault("redirect_uri"))
                return Json(new JsonObject { ["error"] = "invalid_grant" }, HttpStatusCode.BadRequest);
            if (grant.Challenge is not null && OAuthUrl.CodeChallenge(form.GetValueOrDefault("code_verifier") ?? "") != grant.Challenge)
                return Json(new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "PKCE" }, HttpStatusCode.BadRequest);
            user = grant.User;
        }
        var access = "at-" + Guid.NewGuid().ToString("N");
        var refresh = "rt-" + Guid.NewGuid().ToString("N");
        _accessTokens[access] = user;
        _refreshTokens[refresh] = user;
        return Json(new JsonObject
        {
            ["access_token"] = access,
            ["refresh_token"] = refresh,
            ["token_type"] = "Bearer",
            ["expires_in"] = ExpiresIn,
            ["scope"] = Scope,
            ["id_token"] = IdToken(user, withEmail: !IdTokensWithoutEmail),
        });
    }

    private HttpResponseMessage UserInfo(HttpRequestMessage request, bool github)
    {
        if (!_accessTokens.TryGetValue(request.Headers.Authorization?.Parameter ?? "", out var user)) return new HttpResponseMessage(HttpStatusCode.Unauthorized);
        user = UserInfoSubject(user);
        return github
            ? Json(new JsonObject { ["id"] = long.Parse(user.Sub, CultureInfo.InvariantCulture), ["login"] = "octo", ["name"] = null, ["email"] = null, ["avatar_url"] = "https://img.test/gh.png" })
            : Json(new JsonObject { ["sub"] = user.Sub, ["email"] = user.Email, ["email_verified"] = user.EmailVerified, ["name"] = user.Name, ["locale"] = "en" });
    }

    private HttpResponseMessage Emails(HttpRequestMessage request)
    {
        if (!_accessTokens.TryGetValue(request.Headers.Authorization?.Parameter ?? "", out var user)) return new HttpResponseMessage(HttpStatusCode.Unauthorized);
        return Json(new JsonArray(
            new JsonObject { ["email"] = "other@example.com", ["primary"] = false, ["verified"] = true },
            new JsonObject { ["email"] = user.Email, ["primary"] = true, ["verified"] = user.EmailVerified }));
    }

    public static JsonObject Jwks(params RsaSecurityKey[] keys) => new()
    {
        ["keys"] = new JsonArray(keys.Select(k =>
        {
            var p = k.Rsa.ExportParameters(false);
            return (JsonNode)new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["alg"] = "RS256",
                ["kid"] = k.KeyId,
                ["n"] = OAuthUrl.Base64Url(p.Modulus!),
                ["e"] = OAuthUrl.Base64Url(p.Exponent!),
            };
        }).ToArray()),
    };

    private static HttpResponseMessage Json(JsonNode body, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };

    private sealed class Handler(FakeOAuthProvider provider) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct) => provider.HandleAsync(request, ct);
    }
}
