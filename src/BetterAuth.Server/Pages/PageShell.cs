using System.Text;
using System.Text.Json;

namespace BetterAuth.Server.Pages;

/// <summary>
/// Serves the built index.html with a page's configuration in place of its <c>&lt;!-- ba:config --&gt;</c> marker,
/// and the security headers every page gets. The file is re-read when it changes, so a rebuild needs no restart.
/// </summary>
public sealed class PageShell(string indexPath)
{
    public const string Marker = "<!-- ba:config -->";

    /// <summary>
    /// Only this origin's scripts, styles and API; no framing. The configuration is a JSON data block, which a CSP
    /// without 'unsafe-inline' still allows because it is never executed.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    private (DateTime Stamp, string Before, string After)? _template;
    private readonly Lock _lock = new();

    public async Task WriteAsync(HttpContext http, PageConfig config)
    {
        var response = http.Response;
        response.Headers.CacheControl = "no-store";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        // Reset and verification tokens travel in these pages' addresses; never hand them to another site.
        response.Headers["Referrer-Policy"] = "same-origin";
        response.ContentType = "text/html; charset=utf-8";

        var template = Template();
        if (template is null)
        {
            response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await response.WriteAsync(NotBuiltPage, http.RequestAborted);
            return;
        }
        // The default encoder escapes <, > and & as \u003C..., so no value can close the script element.
        var json = JsonSerializer.Serialize(config, PagesJsonContext.Default.PageConfig);
        var html = new StringBuilder(template.Value.Before.Length + json.Length + template.Value.After.Length + 64)
            .Append(template.Value.Before)
            .Append("<script id=\"ba-config\" type=\"application/json\">").Append(json).Append("</script>")
            .Append(template.Value.After)
            .ToString();
        await response.WriteAsync(html, http.RequestAborted);
    }

    private (DateTime Stamp, string Before, string After)? Template()
    {
        if (!File.Exists(indexPath)) return null;
        var stamp = File.GetLastWriteTimeUtc(indexPath);
        lock (_lock)
        {
            if (_template is { } cached && cached.Stamp == stamp) return cached;
            var text = File.ReadAllText(indexPath);
            var at = text.IndexOf(Marker, StringComparison.Ordinal);
            if (at < 0) throw new InvalidOperationException($"{indexPath} has no {Marker} marker; rebuild web/.");
            _template = (stamp, text[..at], text[(at + Marker.Length)..]);
            return _template;
        }
    }

    private const string NotBuiltPage =
        "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Pages not built</title>" +
        "<h1>The hosted pages are not built</h1><p>Run <code>scripts/setup.sh</code> (or <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>) and reload.</p></html>";
}
