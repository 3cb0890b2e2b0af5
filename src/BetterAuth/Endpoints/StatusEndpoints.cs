using System.Net;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Endpoints;

internal static class StatusEndpoints
{
    private static readonly OkResponse Ok = new(true);

    public static readonly AuthEndpoint[] All =
    [
        AuthEndpoint.Get("/ok", _ => ValueTask.FromResult(AuthResult.Json(Ok))) with
        {
            OperationId = "ok", Summary = "Check if the API is working",
            Response = Returns("API is working", Bool("ok", "Indicates if the API is working").Required()),
        },
        AuthEndpoint.Get("/error", Error) with
        {
            OperationId = "error", Summary = "Displays an error page",
            Query = [Str("error", "The error code to show")],
            Response = Returns("An HTML page showing the error code"),
        },
    ];

    /// <summary>GET /error?error=CODE: an HTML page showing the (escaped) code, where OAuth and link flows land on failure.</summary>
    private static ValueTask<AuthResult> Error(AuthContext ctx)
    {
        var code = WebUtility.HtmlEncode(ctx.Query("error") ?? "Unknown");
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
                <meta charset="UTF-8">
                <meta name="viewport" content="width=device-width, initial-scale=1.0">
                <title>Authentication Error</title>
                <style>
                    body { font-family: system-ui, sans-serif; background: #f8f9fa; color: #212529; display: flex;
                           justify-content: center; align-items: center; min-height: 100vh; margin: 0; }
                    main { background: #fff; border: 1px solid #e9ecef; border-radius: 12px; padding: 2rem; max-width: 30rem; }
                    h1 { font-size: 1.5rem; margin-top: 0; }
                    .code { font-family: ui-monospace, monospace; color: #dc3545; }
                </style>
            </head>
            <body>
                <main>
                    <h1>Authentication Error</h1>
                    <p>Something went wrong while signing you in. Please go back and try again.</p>
                    <p>Error Code: <span class="code" id="errorCode">{{code}}</span></p>
                </main>
            </body>
            </html>
            """;
        return ValueTask.FromResult(AuthResult.HtmlPage(html));
    }
}
