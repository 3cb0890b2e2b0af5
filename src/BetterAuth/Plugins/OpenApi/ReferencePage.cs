using System.Net;
using System.Text.Json.Nodes;
using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.OpenApi;

/// <summary>
/// The interactive API reference: an HTML page that loads Scalar's API reference script, as Better Auth's openAPI
/// plugin does, pointed at the document's URL. Scalar reads its settings from the <c>api-reference</c> element's data
/// attributes, so the page has no inline script and its Content-Security-Policy can allow scripts from the script's
/// origin only.
/// </summary>
internal sealed class ReferencePage
{
    /// <summary>Scalar's web fonts, which its stylesheet loads from here.</summary>
    private const string ScalarFonts = "https://fonts.scalar.com";

    /// <summary>Better Auth's page settings: Scalar's "saturn" theme and the page's title.</summary>
    private static readonly string Configuration = new JsonObject
    {
        ["theme"] = "saturn",
        ["metaData"] = new JsonObject
        {
            ["title"] = "Better Auth API",
            ["description"] = "API Reference for your Better Auth Instance",
        },
    }.ToJsonString();

    private readonly string _scriptUrl;
    private readonly string _scriptOrigin;

    public ReferencePage(OpenApiOptions options)
    {
        if (!Uri.TryCreate(options.ScalarScriptUrl, UriKind.Absolute, out var script) || script.Scheme != Uri.UriSchemeHttps)
            throw new InvalidOperationException($"OpenAPI: ScalarScriptUrl '{options.ScalarScriptUrl}' must be an absolute https URL.");
        _scriptUrl = script.ToString();
        _scriptOrigin = script.GetLeftPart(UriPartial.Authority);
    }

    public ValueTask<AuthResult> ServeAsync(AuthContext ctx)
    {
        // Scalar injects its styles at run time, hence 'unsafe-inline' for styles (never for scripts). "Try it" calls
        // go to the document's server: this origin, or the configured base URL's.
        var connect = ctx.Auth.BaseOrigin is { } origin ? $"'self' {origin}" : "'self'";
        ctx.ResponseHeaders["Content-Security-Policy"] =
            $"default-src 'none'; script-src {_scriptOrigin}; style-src 'unsafe-inline' {_scriptOrigin} {ScalarFonts}; " +
            $"font-src {_scriptOrigin} {ScalarFonts} data:; img-src 'self' data: https:; connect-src {connect}; " +
            "worker-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; object-src 'none'";
        ctx.ResponseHeaders["X-Content-Type-Options"] = "nosniff";
        ctx.ResponseHeaders["Referrer-Policy"] = "same-origin";
        return ValueTask.FromResult(AuthResult.HtmlPage(Html(ctx.Auth.BasePath + OpenApiPlugin.SchemaPath)));
    }

    private string Html(string schemaUrl)
    {
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
                <script src="{WebUtility.HtmlEncode(_scriptUrl)}"></script>
              </body>
            </html>
            """;
    }
}
