using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Console;

namespace BetterAuth.Server;

/// <summary>
/// Keeps secrets that travel in URLs (the reset token in <c>/reset-password/{token}</c>, <c>?token=</c> on
/// verify-email and delete-user callbacks, OAuth <c>?code=</c>/<c>?state=</c>) out of the log. ASP.NET Core's hosting
/// diagnostics ("Request starting … GET /api/auth/reset-password/&lt;token&gt;") and the route matcher's Debug messages
/// write the raw path and query at any level an operator may turn on, so those categories are capped here, and this
/// class writes the request line instead, with those values replaced by <c>***</c>.
/// </summary>
public static class RequestLogging
{
    public const string Category = "BetterAuth.Server.Requests";

    /// <summary>Framework categories that log the raw request path or query string.</summary>
    private static readonly string[] PathLoggingCategories =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Routing.Matching",
        "Microsoft.AspNetCore.StaticFiles",
    ];

    /// <summary>Query parameters whose values are credentials somewhere in Better Auth's flows.</summary>
    private static readonly HashSet<string> SecretParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "token", "code", "otp", "state", "id_token", "access_token", "refresh_token",
    };

    /// <summary>
    /// Caps the path-logging categories at Warning. Added after the configuration's rules, so these win over a
    /// <c>Logging:LogLevel</c> entry of the same category; the console provider gets its own rules too, since a
    /// provider-specific entry (<c>Logging:Console:LogLevel</c>) would otherwise take precedence.
    /// </summary>
    public static void CapPathLoggingCategories(this ILoggingBuilder logging)
    {
        foreach (var category in PathLoggingCategories)
        {
            logging.AddFilter(category, LogLevel.Warning);
            logging.AddFilter<ConsoleLoggerProvider>(category, LogLevel.Warning);
        }
    }

    /// <summary>
    /// Logs each request once, at Information, with its secrets redacted (in place of hosting diagnostics). Off unless
    /// the category is enabled; appsettings.json keeps it at Warning, as it keeps Microsoft.AspNetCore.
    /// </summary>
    public static void UseRedactedRequestLog(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(Category);
        app.Use(async (http, next) =>
        {
            if (!logger.IsEnabled(LogLevel.Information))
            {
                await next(http);
                return;
            }
            var started = Stopwatch.GetTimestamp();
            try { await next(http); }
            finally
            {
                // Information is enabled here (checked above), so these are computed only for a line that is written.
                var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                var redacted = Redact(http.Request.Path, http.Request.QueryString);
                ServerLog.RequestServed(logger, http.Request.Protocol, http.Request.Method, redacted, http.Response.StatusCode, elapsedMs);
            }
        });
    }

    /// <summary>The path and query with the reset-password token segment and secret query values replaced by <c>***</c>.</summary>
    public static string Redact(PathString path, QueryString query)
    {
        var text = new StringBuilder(path.Value ?? "");
        var marker = text.ToString().IndexOf("/reset-password/", StringComparison.Ordinal);
        if (marker >= 0) text.Length = marker + "/reset-password/".Length;
        if (marker >= 0) text.Append("***"); // the token, and anything after it
        if (!query.HasValue) return text.ToString();
        var separator = '?';
        foreach (var pair in query.Value!.TrimStart('?').Split('&'))
        {
            var eq = pair.IndexOf('=');
            var name = eq < 0 ? pair : pair[..eq];
            text.Append(separator).Append(eq >= 0 && SecretParameters.Contains(Uri.UnescapeDataString(name)) ? $"{name}=***" : pair);
            separator = '&';
        }
        return text.ToString();
    }
}
