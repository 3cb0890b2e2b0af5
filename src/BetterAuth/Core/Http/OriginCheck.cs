using System.Text.RegularExpressions;
using BetterAuth.Core.Errors;

namespace BetterAuth.Core.Http;

/// <summary>
/// Better Auth's CSRF and open-redirect guard (origin-check.ts). A POST that carries a Cookie header must come
/// from a trusted Origin (or Referer); a missing one passes, as in Better Auth, because browsers always send it on
/// cross-site POSTs. Callback and redirect URLs in any request must point at a trusted origin or be a safe relative path.
/// </summary>
/// <remarks>
/// A value is read as a browser reads it (<see cref="WhatwgUrl"/>) and trusted only by the scheme, host and port it
/// resolves to. On top of that, a value is refused when a browser would have to rewrite it before using it — spaces,
/// control characters, non-ASCII, backslashes, other than exactly "//" after an http(s) scheme, a host not written the
/// way the browser writes it back (percent-escapes, IDN, IPv4 in hex/octal/short forms) — so that every consumer of an
/// accepted URL (a browser, a mobile app's URL parser, the Location header itself) reads the same origin from it.
/// </remarks>
internal static partial class OriginCheck
{
    private static readonly (string Field, string Label)[] UrlFields =
    [
        ("callbackURL", "callbackURL"), ("redirectTo", "redirectURL"),
        ("errorCallbackURL", "errorCallbackURL"), ("newUserCallbackURL", "newUserCallbackURL"),
    ];

    public static void Validate(AuthContext ctx)
    {
        if (!HttpMethodsEqual(ctx.Http.Request.Method, "POST")) return;
        var trusted = TrustedOrigins(ctx);
        if (ctx.Http.Request.Headers.ContainsKey("Cookie") && !ctx.Auth.Options.Advanced.DisableCsrfCheck)
        {
            var origin = ctx.Http.Request.Headers.Origin.ToString();
            if (string.IsNullOrEmpty(origin)) origin = ctx.Http.Request.Headers.Referer.ToString();
            ValidateUrl(origin, "origin", trusted);
        }
        foreach (var (field, label) in UrlFields)
        {
            // As Better Auth: `body.callbackURL || query.callbackURL`, so an empty body value does not hide the query's.
            var value = ctx.BodyString(field);
            if (string.IsNullOrEmpty(value) && field == "callbackURL") value = ctx.Query("callbackURL");
            ValidateUrl(value, label, trusted);
        }
    }

    /// <summary>The check GET routes (verify-email, reset-password, delete-user callback) apply to their callbackURL.</summary>
    public static void ValidateCallback(AuthContext ctx, string? url) => ValidateUrl(url, "callbackURL", TrustedOrigins(ctx));

    /// <summary>Whether <paramref name="url"/> may be used: a trusted origin's URL, or (with <paramref name="allowRelative"/>) a safe relative path.</summary>
    public static bool IsTrusted(AuthContext ctx, string url, bool allowRelative = true)
        => IsTrustedUrl(url, allowRelative, TrustedOrigins(ctx));

    /// <summary>
    /// The callbackURL rule for host code outside the auth endpoints (e.g. pages that redirect after a sign-in):
    /// <paramref name="requestOrigin"/> is the origin the page was served under, which counts when no base URL is set.
    /// </summary>
    public static bool IsTrustedCallback(AuthRuntime auth, string requestOrigin, string url) =>
        IsTrustedUrl(url, allowRelative: true, TrustedOrigins(auth, requestOrigin));

    private static IReadOnlyList<TrustedOriginPattern> TrustedOrigins(AuthContext ctx) => TrustedOrigins(ctx.Auth, ctx.RequestOrigin);

    private static IReadOnlyList<TrustedOriginPattern> TrustedOrigins(AuthRuntime auth, string requestOrigin)
    {
        if (auth.BaseOrigin is not null) return auth.TrustedOriginPatterns;
        // No configured base URL: the origin the request was served under is the base origin.
        return TrustedOriginPattern.ForOrigin(requestOrigin) is { } own ? [own, .. auth.TrustedOriginPatterns] : auth.TrustedOriginPatterns;
    }

    private static void ValidateUrl(string? url, string label, IReadOnlyList<TrustedOriginPattern> trusted)
    {
        if (string.IsNullOrEmpty(url)) return;
        if (!IsTrustedUrl(url, allowRelative: label != "origin", trusted))
            throw new AuthError(403, $"Invalid {label}");
    }

    private static bool IsTrustedUrl(string url, bool allowRelative, IReadOnlyList<TrustedOriginPattern> trusted)
    {
        if (url.StartsWith('/')) return allowRelative && SafeRelativePath().IsMatch(url);
        if (!IsPlainAscii(url) || !WhatwgUrl.TryParse(url, out var parsed)) return false;
        if (parsed.IsHttp && !WrittenAsBrowsersWriteIt(parsed)) return false;
        foreach (var pattern in trusted)
            if (pattern.Matches(parsed)) return true;
        return false;
    }

    /// <summary>Printable ASCII without spaces or backslashes: nothing a browser strips, encodes or reads as another character.</summary>
    private static bool IsPlainAscii(string url)
    {
        foreach (var c in url)
            if (c is <= ' ' or >= '\x7f' or '\\') return false;
        return true;
    }

    /// <summary>"scheme://host" with the host as the browser serializes it (ASCII case aside).</summary>
    private static bool WrittenAsBrowsersWriteIt(WhatwgUrl url) =>
        url.SlashesAfterScheme == "//" && string.Equals(url.HostText, url.Host, StringComparison.OrdinalIgnoreCase);

    private static bool HttpMethodsEqual(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    // Better Auth's relative-path rule; \z, not $, because .NET's $ also matches before a final newline.
    [GeneratedRegex(@"^/(?!/|\\|%2f|%5c)[A-Za-z0-9_\-.+/@]*(?:\?[A-Za-z0-9_\-.+/=&%@]*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex SafeRelativePath();
}
