using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Storage;

namespace BetterAuth.Core.OAuth;

/// <summary>Who started a link flow (<c>/link-social</c>).</summary>
internal sealed record OAuthLink(string UserId, string Email);

/// <summary>What the callback needs from the request that started the flow.</summary>
/// <param name="CallbackUrl">Where the user lands after signing in.</param>
/// <param name="CodeVerifier">The PKCE verifier sent with the code exchange.</param>
/// <param name="ErrorUrl">Where the user lands when the flow fails.</param>
/// <param name="NewUserUrl">Where a user created by this flow lands, when set.</param>
/// <param name="Link">Set when the flow links an account to a signed-in user instead of signing in.</param>
/// <param name="RequestSignUp">The client explicitly asked to sign up (for providers with implicit sign-up disabled).</param>
/// <param name="ProviderId">The provider the flow was begun with; null in a row Better Auth wrote (it records none).</param>
internal sealed record OAuthStateData(string CallbackUrl, string CodeVerifier, string ErrorUrl, string? NewUserUrl, OAuthLink? Link,
    bool? RequestSignUp, string? ProviderId = null);

/// <summary>
/// The OAuth <c>state</c> (oauth2/state.ts): a verification row whose identifier is the 32-character state and whose
/// value is the JSON of the flow, as Better Auth 1.2.12 writes it, alive 10 minutes and used once. The state is also
/// bound to the browser that began the flow, as later Better Auth does: the answer that starts a flow sets the signed
/// <c>better-auth.state</c> cookie holding the state, and the callback accepts a state only together with that cookie
/// (1.2.12 has no such cookie, so anyone holding a state and a code could finish the flow in any browser: login CSRF).
/// </summary>
internal static class OAuthState
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    /// <summary>The cookie's name before the prefix (later Better Auth's name for the database strategy).</summary>
    public const string CookieName = "state";

    /// <summary>Stores a new flow with <paramref name="providerId"/>; returns the state and the 128-character PKCE verifier.</summary>
    public static async Task<(string State, string CodeVerifier)> CreateAsync(AuthContext ctx, string providerId, string? callbackUrl,
        string? errorCallbackUrl, string? newUserCallbackUrl, bool? requestSignUp, OAuthLink? link = null)
    {
        // Better Auth falls back to the configured base URL's origin (not the API path).
        var callback = string.IsNullOrEmpty(callbackUrl) ? ctx.Auth.BaseOrigin ?? ctx.RequestOrigin : callbackUrl;
        var codeVerifier = RandomStrings.From(RandomStrings.UrlSafe, 128);
        var state = RandomStrings.From(RandomStrings.UrlSafe, 32);
        var expiresAt = ctx.Auth.Now + Lifetime;

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsStringEncoder.Instance }))
        {
            // Key order and omitted keys as JSON.stringify writes Better Auth's object, so both servers can read each other's rows.
            w.WriteStartObject();
            w.WriteString("callbackURL", callback);
            w.WriteString("codeVerifier", codeVerifier);
            if (!string.IsNullOrEmpty(errorCallbackUrl)) w.WriteString("errorURL", errorCallbackUrl);
            if (!string.IsNullOrEmpty(newUserCallbackUrl)) w.WriteString("newUserURL", newUserCallbackUrl);
            if (link is not null)
            {
                w.WriteStartObject("link");
                w.WriteString("userId", link.UserId);
                w.WriteString("email", link.Email);
                w.WriteEndObject();
            }
            w.WriteNumber("expiresAt", JsDate.ToUnixMs(expiresAt));
            if (requestSignUp is { } r) w.WriteBoolean("requestSignUp", r);
            // Ours only, last (Better Auth ignores keys it does not know): a state is good for its own provider's callback.
            w.WriteString("providerId", providerId);
            w.WriteEndObject();
        }
        await ctx.Store.CreateVerificationAsync(state, System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan), expiresAt);
        // As long as the flow itself (later Better Auth: 5 minutes, which a user still at the provider can outlast).
        // SameSite=Lax is enough: the provider returns with a top-level GET (form_post callbacks are turned into one).
        ctx.SetSignedCookie(ctx.Auth.Cookies.Name(CookieName), state, ctx.Auth.Cookies.Defaults with { MaxAge = (int)Lifetime.TotalSeconds });
        return (state, codeVerifier);
    }

    /// <summary>Whether this request carries the signed state cookie for <paramref name="state"/> (compared in constant time).</summary>
    public static bool IsBoundToRequest(AuthContext ctx, string state)
    {
        var cookie = ctx.GetSignedCookie(ctx.Auth.Cookies.Name(CookieName));
        return cookie is not null &&
               CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(cookie), Encoding.UTF8.GetBytes(state));
    }

    /// <summary>Expires the state cookie once its flow is over.</summary>
    public static void ClearCookie(AuthContext ctx) => ctx.DeleteCookie(ctx.Auth.Cookies.Name(CookieName));

    /// <summary>The flow for <paramref name="state"/> without using it up (to answer a refused callback); null as for <see cref="ConsumeAsync"/>.</summary>
    public static async Task<OAuthStateData?> PeekAsync(AuthContext ctx, string state) =>
        await ctx.Store.FindVerificationAsync(state) is { } row ? Parse(ctx, row.Value) : null;

    /// <summary>
    /// Takes the flow for <paramref name="state"/> for single use. Null when it is unknown, already used, expired or
    /// unreadable (Better Auth: "please_restart_the_process").
    /// </summary>
    public static async Task<OAuthStateData?> ConsumeAsync(AuthContext ctx, string state)
    {
        // The state arrives from the client and is the whole identifier: only one of the random-token form can be a
        // state, so a phone number or another flow's identifier never names (and deletes) that flow's row.
        if (!ctx.Auth.Registry.VerificationIdentifiers.IsRandomToken(state)) return null;
        var row = await ctx.Store.ConsumeVerificationAsync(state);
        return row is null ? null : Parse(ctx, row.Value);
    }

    private static OAuthStateData? Parse(AuthContext ctx, string value)
    {
        try
        {
            using var doc = JsonDocument.Parse(value);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (String(root, "callbackURL") is not { } callback || String(root, "codeVerifier") is not { } verifier) return null;
            if (!root.TryGetProperty("expiresAt", out var exp) || !exp.TryGetDouble(out var expiresAtMs)) return null;
            if (expiresAtMs < JsDate.ToUnixMs(ctx.Auth.Now)) return null;
            OAuthLink? link = null;
            if (root.TryGetProperty("link", out var l) && l.ValueKind == JsonValueKind.Object)
            {
                if (String(l, "email") is not { } email || !l.TryGetProperty("userId", out var uid)) return null;
                link = new OAuthLink(uid.ValueKind == JsonValueKind.String ? uid.GetString()! : uid.GetRawText(), email);
            }
            bool? requestSignUp = root.TryGetProperty("requestSignUp", out var rs) && rs.ValueKind is JsonValueKind.True or JsonValueKind.False
                ? rs.GetBoolean() : null;
            var errorUrl = String(root, "errorURL");
            return new OAuthStateData(callback, verifier, string.IsNullOrEmpty(errorUrl) ? ctx.BaseUrl + "/error" : errorUrl,
                String(root, "newUserURL"), link, requestSignUp, String(root, "providerId"));
        }
        catch (JsonException) { return null; }
    }

    private static string? String(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
