using System.Text;
using System.Text.Json;

namespace BetterAuth.Core.OAuth;

/// <summary>What <c>/sign-in/social</c> and <c>/link-social</c> ask a provider's authorization URL for.</summary>
internal sealed record AuthorizationRequest(string State, string CodeVerifier, string RedirectUri, IReadOnlyList<string>? Scopes, string? LoginHint);

/// <summary>
/// One social provider (Better Auth's <c>OAuthProvider</c>): builds the authorization URL, exchanges the code,
/// refreshes tokens, maps the profile to a user and, where the provider issues them, verifies client ID tokens.
/// The defaults here are plain OAuth 2.0 (form-posted client credentials); providers override what differs.
/// </summary>
internal abstract class OAuthProvider(string id, SocialProviderOptions options, OAuthProviderServices services)
{
    public string Id { get; } = id;
    public abstract string Name { get; }
    public SocialProviderOptions Options { get; } = options;
    protected OAuthProviderServices Services { get; } = services;
    protected OAuthHttp Http => Services.Http;
    protected DateTime Now => Services.Now;
    protected int Timeout => Options.TimeoutSeconds;

    /// <summary>Whether the authorization request carries a PKCE challenge (and the code exchange the verifier).</summary>
    public virtual bool UsesPkce => false;

    /// <summary>Null when the provider has no ID tokens to verify: <c>idToken</c> sign-ins answer "id_token not supported".</summary>
    public virtual IdTokenValidator? IdTokens => null;

    public virtual bool SupportsRefresh => true;

    public abstract Task<string> CreateAuthorizationUrlAsync(AuthorizationRequest request, CancellationToken ct);

    public virtual Task<OAuthTokens> ValidateAuthorizationCodeAsync(string code, string? codeVerifier, string redirectUri,
        string? deviceId, CancellationToken ct) =>
        ExchangeCodeAsync(TokenEndpoint, code, UsesPkce ? codeVerifier : null, redirectUri, deviceId, ct);

    public virtual Task<OAuthTokens> RefreshAccessTokenAsync(string refreshToken, CancellationToken ct) =>
        RefreshAsync(Options.RefreshTokenEndpoint ?? TokenEndpoint, refreshToken, null, ct);

    /// <summary>
    /// The user the tokens belong to, or null when the provider would not say or the answer names someone else.
    /// The account id is the provider's subject: when <paramref name="subject"/> is given (the <c>sub</c> of an ID token
    /// we verified, or the stored account's id) or <paramref name="tokens"/> carry an ID token from the token endpoint,
    /// the profile must be that subject's (OpenID Connect Core §5.3.2: a user-info answer whose <c>sub</c> differs from
    /// the ID token's must not be used). A profile without an id is no user. The host's
    /// <see cref="SocialProviderOptions.MapProfileToUser"/> may adjust everything but the id.
    /// </summary>
    /// <param name="tokens">The tokens the provider issued (an ID token among them is already verified).</param>
    /// <param name="formUser">Apple's first-consent <c>user</c> field.</param>
    /// <param name="subject">The provider user the answer must describe, when known.</param>
    /// <param name="ct">Cancels the provider calls.</param>
    public async Task<OAuthUserInfo?> GetUserInfoAsync(OAuthTokens tokens, JsonElement? formUser, string? subject, CancellationToken ct)
    {
        var expected = subject ?? (JwtPayload.Decode(tokens.IdToken) is { } claims ? JwtPayload.String(claims, "sub") : null);
        if (expected is { Length: 0 }) return null;
        var profile = await ReadProfileAsync(tokens, formUser, ct);
        if (profile is null || string.IsNullOrEmpty(profile.Id)) return null;
        if (expected is not null && !string.Equals(profile.Id, expected, StringComparison.Ordinal)) return null;
        return Options.MapProfileToUser is { } map ? map(profile) with { Id = profile.Id } : profile;
    }

    /// <summary>
    /// The provider's profile for these tokens, before the host's mapping. <see cref="GetUserInfoAsync"/> checks whose
    /// it is, so an implementation only reads it.
    /// </summary>
    protected abstract Task<OAuthUserInfo?> ReadProfileAsync(OAuthTokens tokens, JsonElement? formUser, CancellationToken ct);

    /// <summary>
    /// Checks a client's ID token. Providers without one are refused before this is called. An
    /// <paramref name="accessToken"/> sent with it must be the one the token names in <c>at_hash</c>, when it names one.
    /// </summary>
    public async Task<(IdTokenStatus Status, JsonElement? Claims)> VerifyIdTokenAsync(string token, string? nonce, string? accessToken,
        CancellationToken ct)
    {
        if (IdTokens is null || Options.DisableIdTokenSignIn) return (IdTokenStatus.Invalid, null);
        var (status, claims) = await IdTokens.ValidateAsync(token, nonce, ct, accessToken);
        if (status == IdTokenStatus.Valid && claims is { } c && !AcceptClaims(c)) return (IdTokenStatus.Invalid, null);
        return (status, claims);
    }

    /// <summary>Provider-specific claim rules on a verified token (Google's hosted domain).</summary>
    protected virtual bool AcceptClaims(JsonElement claims) => true;

    protected abstract string TokenEndpoint { get; }

    /// <summary>Default scopes, then the configured ones, then the request's (Better Auth's order for most providers).</summary>
    protected List<string> Scopes(IEnumerable<string> defaults, IReadOnlyList<string>? requested)
    {
        var scopes = Options.DisableDefaultScope ? new List<string>() : defaults.ToList();
        scopes.AddRange(Options.Scope);
        if (requested is not null) scopes.AddRange(requested);
        return scopes;
    }

    /// <summary>Better Auth's createAuthorizationURL: the standard parameters in its order, then provider extras.</summary>
    protected string BuildAuthorizationUrl(string endpoint, AuthorizationRequest request, IReadOnlyList<string> scopes,
        string? loginHint = null, string? prompt = null, string? display = null, string? hd = null, string? accessType = null,
        string? responseMode = null, string? responseType = null, string scopeJoiner = " ",
        IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        var url = new OAuthUrl(endpoint)
            .Set("response_type", responseType ?? "code")
            .Set("client_id", Options.ClientId ?? "")
            .Set("state", request.State)
            .Set("scope", string.Join(scopeJoiner, scopes))
            .Set("redirect_uri", Options.RedirectUri ?? request.RedirectUri)
            .SetIf("display", display)
            .SetIf("login_hint", loginHint)
            .SetIf("prompt", prompt)
            .SetIf("hd", hd)
            .SetIf("access_type", accessType)
            .SetIf("response_mode", responseMode);
        if (UsesPkce)
        {
            url.Set("code_challenge_method", "S256");
            url.Set("code_challenge", OAuthUrl.CodeChallenge(request.CodeVerifier));
        }
        foreach (var (k, v) in extra ?? []) url.Set(k, v);
        return url.ToString();
    }

    /// <summary>The authorization-code grant with the client credentials in the body (Better Auth's default "post").</summary>
    protected async Task<OAuthTokens> ExchangeCodeAsync(string endpoint, string code, string? codeVerifier, string redirectUri,
        string? deviceId, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "authorization_code"), new("code", code) };
        if (!string.IsNullOrEmpty(codeVerifier)) form.Add(new("code_verifier", codeVerifier));
        if (!string.IsNullOrEmpty(deviceId)) form.Add(new("device_id", deviceId));
        form.Add(new("redirect_uri", Options.RedirectUri ?? redirectUri));
        form.Add(new("client_id", Options.ClientId ?? ""));
        form.Add(new("client_secret", Options.ClientSecret ?? ""));
        var json = await Http.PostFormAsync(endpoint, form, Timeout, ct: ct);
        ThrowIfErrorAnswer(json);
        return OAuthTokens.FromCodeResponse(json, Now);
    }

    protected async Task<OAuthTokens> RefreshAsync(string endpoint, string refreshToken, IEnumerable<KeyValuePair<string, string>>? extra,
        CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"), new("refresh_token", refreshToken),
            new("client_id", Options.ClientId ?? ""), new("client_secret", Options.ClientSecret ?? ""),
        };
        form.AddRange(extra ?? []);
        var json = await Http.PostFormAsync(endpoint, form, Timeout, ct: ct);
        ThrowIfErrorAnswer(json);
        return OAuthTokens.FromRefreshResponse(json, Now);
    }

    /// <summary>Some providers (GitHub) answer a refused grant with 200 and an <c>error</c> member.</summary>
    private static void ThrowIfErrorAnswer(JsonElement json)
    {
        if (json.ValueKind != JsonValueKind.Object) throw new OAuthProviderException("The token endpoint answered something other than an object");
        if (json.TryGetProperty("error", out _) && !json.TryGetProperty("access_token", out _))
            throw new OAuthProviderException("The token endpoint refused the grant: " + JwtPayload.String(json, "error"), answer: json);
    }

    protected static string BasicCredentials(string clientId, string clientSecret) =>
        OAuthUrl.Base64Url(Encoding.UTF8.GetBytes($"{clientId}:{clientSecret}"));
}

/// <summary>What every provider needs from the host: the HTTP client and the clock.</summary>
internal sealed class OAuthProviderServices(OAuthHttp http, TimeProvider time)
{
    public OAuthHttp Http { get; } = http;
    public TimeProvider Time { get; } = time;
    public DateTime Now => Storage.JsDate.Truncate(Time.GetUtcNow().UtcDateTime);
}
