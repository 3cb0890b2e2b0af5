using System.Net;
using System.Text.Json.Nodes;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.OpenApi;

/// <summary>
/// The interactive API reference: an HTML page that loads Scalar's API reference script, as Better Auth's openAPI
/// plugin does, pointed at the document's URL. The script is the pinned copy this library embeds (<see cref="ScalarAsset"/>),
/// served from this origin with a Subresource Integrity hash, unless <see cref="OpenApiOptions.ScalarScriptUrl"/> names
/// another. Scalar reads its settings from the <c>api-reference</c> element's data attributes, so the page has no inline
/// script, and its default fonts are off, so its Content-Security-Policy allows scripts, styles and fonts from the
/// script's origin only.
/// </summary>
internal sealed class ReferencePage
{
    /// <summary>Better Auth's page settings: Scalar's "saturn" theme and the page's title; no fonts from Scalar's font host.</summary>
    private static readonly string Configuration = new JsonObject
    {
        ["theme"] = "saturn",
        ["withDefaultFonts"] = false,
        ["metaData"] = new JsonObject
        {
            ["title"] = "Better Auth API",
            ["description"] = "API Reference for your Better Auth Instance",
        },
    }.ToJsonString();

    /// <summary>An external script's URL and origin; null for the embedded copy.</summary>
    private readonly (string Url, string Origin)? _external;
    private readonly string _localPath;

    public ReferencePage(OpenApiOptions options)
    {
        _localPath = LocalScriptPath(options);
        if (options.ScalarScriptUrl is null) return;
        if (!Uri.TryCreate(options.ScalarScriptUrl, UriKind.Absolute, out var script) || script.Scheme != Uri.UriSchemeHttps)
            throw new InvalidOperationException($"OpenAPI: ScalarScriptUrl '{options.ScalarScriptUrl}' must be an absolute https URL.");
        _external = (script.ToString(), script.GetLeftPart(UriPartial.Authority));
    }

    /// <summary>Whether the page uses the embedded script (then its endpoint is registered too).</summary>
    public bool ServesLocalScript => _external is null;

    /// <summary>The embedded script's path, relative to the base path: next to the page, named with its version.</summary>
    public static string LocalScriptPath(OpenApiOptions options) => options.Path.TrimEnd('/') + "/" + ScalarAsset.FileName;

    public ValueTask<AuthResult> ServeAsync(AuthContext ctx)
    {
        // Scalar injects its styles at run time, hence 'unsafe-inline' for styles (never for scripts). "Try it" calls
        // go to the document's server: this origin, or the configured base URL's.
        var source = _external?.Origin ?? "'self'";
        var connect = ctx.Auth.BaseOrigin is { } origin ? $"'self' {origin}" : "'self'";
        ctx.ResponseHeaders["Content-Security-Policy"] =
            $"default-src 'none'; script-src {source}; style-src 'unsafe-inline' {source}; font-src {source} data:; " +
            $"img-src 'self' data:; connect-src {connect}; worker-src blob:; frame-ancestors 'none'; base-uri 'none'; " +
            "form-action 'none'; object-src 'none'";
        ctx.ResponseHeaders["X-Content-Type-Options"] = "nosniff";
        ctx.ResponseHeaders["Referrer-Policy"] = "same-origin";
        return ValueTask.FromResult(AuthResult.HtmlPage(Html(ctx.Auth.BasePath)));
    }

    private string Html(string basePath)
    {
        var schemaUrl = basePath + OpenApiPlugin.SchemaPath;
        var script = _external is { } external
            ? $"<script src=\"{WebUtility.HtmlEncode(external.Url)}\"></script>"
            : $"<script src=\"{WebUtility.HtmlEncode(basePath + _localPath)}\" integrity=\"sha384-{ScalarAsset.Sha384}\"></script>";
        return $"""
            <!doctype html>
            <html lang="en">
              <head>
                <title>Better Auth API</title>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
              </head>
              <body>
                <script id="api-reference" data-url="{WebUtility.HtmlEncode(schemaUrl)}" data-configuration="{WebUtility.HtmlEncode(Configuration)}"></script>
                {script}
              </body>
            </html>
            """;
    }
}
