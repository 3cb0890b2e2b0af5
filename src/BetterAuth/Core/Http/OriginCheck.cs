using System.Text.RegularExpressions;
using BetterAuth.Core.Errors;

namespace BetterAuth.Core.Http;

/// <summary>
/// Better Auth's CSRF and open-redirect guard (origin-check.ts). A POST that carries a Cookie header must come
/// from a trusted Origin (or Referer); a missing one passes, as in Better Auth, because browsers always send it on
/// cross-site POSTs. Callback and redirect URLs in any request must point at a trusted origin or be a safe relative path.
/// </summary>
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
            var value = ctx.BodyString(field) ?? (field == "callbackURL" ? ctx.Query("callbackURL") : null);
            ValidateUrl(value, label, trusted);
        }
    }

    /// <summary>The check GET routes (verify-email, reset-password, delete-user callback) apply to their callbackURL.</summary>
    public static void ValidateCallback(AuthContext ctx, string? url) => ValidateUrl(url, "callbackURL", TrustedOrigins(ctx));

    public static bool IsTrusted(AuthContext ctx, string url, bool allowRelative = true)
        => IsTrustedUrl(url, allowRelative ? "callbackURL" : "origin", TrustedOrigins(ctx));

    /// <summary>
    /// The callbackURL rule for host code outside the auth endpoints (e.g. pages that redirect after a sign-in):
    /// <paramref name="requestOrigin"/> is the origin the page was served under, which counts when no base URL is set.
    /// </summary>
    public static bool IsTrustedCallback(AuthRuntime auth, string requestOrigin, string url) =>
        IsTrustedUrl(url, "callbackURL", TrustedOrigins(auth, requestOrigin));

    private static IReadOnlyList<string> TrustedOrigins(AuthContext ctx) => TrustedOrigins(ctx.Auth, ctx.RequestOrigin);

    private static IReadOnlyList<string> TrustedOrigins(AuthRuntime auth, string requestOrigin)
    {
        if (auth.BaseOrigin is not null) return auth.TrustedOrigins;
        // No configured base URL: the origin the request was served under is the base origin.
        return [requestOrigin, .. auth.TrustedOrigins];
    }

    private static void ValidateUrl(string? url, string label, IReadOnlyList<string> trusted)
    {
        if (string.IsNullOrEmpty(url)) return;
        if (!IsTrustedUrl(url, label, trusted))
            throw new AuthError(403, $"Invalid {label}");
    }

    private static bool IsTrustedUrl(string url, string label, IReadOnlyList<string> trusted)
    {
        if (url.StartsWith('/'))
            return label != "origin" && SafeRelativePath().IsMatch(url);
        foreach (var pattern in trusted)
            if (Matches(url, pattern)) return true;
        return false;
    }

    private static bool Matches(string url, string pattern)
    {
        if (pattern.Contains('*')) return Glob(pattern).IsMatch(Host(url));
        var scheme = Scheme(url);
        return scheme is null or "http" or "https"
            ? string.Equals(pattern, Origin(url), StringComparison.Ordinal)
            : url.StartsWith(pattern, StringComparison.Ordinal);
    }

    private static string? Scheme(string url)
    {
        var i = url.IndexOf("://", StringComparison.Ordinal);
        return i > 0 ? url[..i].ToLowerInvariant() : null;
    }

    private static string Origin(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
            ? u.GetLeftPart(UriPartial.Authority)
            : url;

    private static string Host(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.Authority : url;

    private static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(StripScheme(pattern)).Replace("\\*\\*", ".*").Replace("\\*", "[^/]*").Replace("\\?", ".") + "$",
            RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));

    private static string StripScheme(string pattern)
    {
        var i = pattern.IndexOf("://", StringComparison.Ordinal);
        return i > 0 ? pattern[(i + 3)..] : pattern;
    }

    private static bool HttpMethodsEqual(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^/(?!/|\\|%2f|%5c)[A-Za-z0-9_\-.+/@]*(?:\?[A-Za-z0-9_\-.+/=&%@]*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SafeRelativePath();
}
