using System.Net;
using BetterAuth.Core.Messaging;

namespace BetterAuth.Server;

/// <summary>
/// The standalone server's configuration: the <c>BetterAuth</c> section of appsettings.json (bound onto
/// <see cref="BetterAuthOptions"/>), overridden by the conventional environment variables documented in the README.
/// </summary>
public sealed class ServerSettings
{
    public required BetterAuthOptions Auth { get; init; }
    public required IPAddress BindAddress { get; init; }
    public required int Port { get; init; }
    public string? OutboxPath { get; init; }
    /// <summary>SMTP delivery, when <c>SMTP_HOST</c> (or the <c>Smtp</c> section) is set.</summary>
    public SmtpOptions? Smtp { get; init; }
    public required string DatabaseDescription { get; init; }

    public static ServerSettings Read(IConfiguration config, IHostEnvironment env)
    {
        var auth = new BetterAuthOptions();
        config.GetSection("BetterAuth").Bind(auth);
        auth.Plugins.AddRange(ServerPlugins.Enabled(config));

        var port = int.TryParse(config["PORT"], out var p) ? p : 3000;
        var host = config["HOST"] ?? "127.0.0.1";
        var bind = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);

        var baseUrl = config["BETTER_AUTH_URL"] ?? auth.BaseUrl;
        if (string.IsNullOrEmpty(baseUrl))
        {
            baseUrl = $"http://{(bind.Equals(IPAddress.Any) ? "127.0.0.1" : host)}:{port}";
            // A browser may reach a loopback dev server by either name.
            auth.TrustedOrigins.Add($"http://localhost:{port}");
            auth.TrustedOrigins.Add($"http://127.0.0.1:{port}");
        }
        auth.BaseUrl = baseUrl;

        if (config["BETTER_AUTH_SECRET"] is { Length: > 0 } secret) auth.Secret = secret;
        if (string.IsNullOrEmpty(auth.Secret) && env.IsProduction())
            throw new InvalidOperationException(
                "BETTER_AUTH_SECRET is not set. Refusing to start in production with the public development secret. " +
                "Set BETTER_AUTH_SECRET to a long random value (e.g. `openssl rand -base64 32`), or run with ASPNETCORE_ENVIRONMENT=Development.");

        if (config["BETTER_AUTH_TRUSTED_ORIGINS"] is { Length: > 0 } origins)
            auth.TrustedOrigins.AddRange(origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (config["BETTER_AUTH_TRUSTED_PROXIES"] is { Length: > 0 } proxies)
        {
            auth.Advanced.IpAddress.TrustedProxies.AddRange(proxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (auth.Advanced.IpAddress.IpAddressHeaders.Count == 0) auth.Advanced.IpAddress.IpAddressHeaders.Add("X-Forwarded-For");
        }
        ApplyRateLimit(auth.RateLimit, config["BETTER_AUTH_RATE_LIMIT"]);

        var database = config["DATABASE_URL"];
        if (!string.IsNullOrEmpty(database)) auth.Database.ConnectionString = SqliteConnectionString(database);

        SmtpOptions? smtp = null;
        if (config.GetSection("Smtp").Exists() || !string.IsNullOrEmpty(config["SMTP_HOST"]))
        {
            smtp = new SmtpOptions();
            config.GetSection("Smtp").Bind(smtp);
            if (config["SMTP_HOST"] is { Length: > 0 } h) smtp.Host = h;
            if (int.TryParse(config["SMTP_PORT"], out var smtpPort)) smtp.Port = smtpPort;
            if (config["SMTP_USER"] is { Length: > 0 } u) smtp.UserName = u;
            if (config["SMTP_PASSWORD"] is { Length: > 0 } pw) smtp.Password = pw;
            if (config["SMTP_SECURITY"] is { Length: > 0 } sec) smtp.Security = sec;
            if (config["SMTP_FROM"] is { Length: > 0 } from) smtp.From = from;
        }

        return new ServerSettings
        {
            Smtp = smtp,
            Auth = auth,
            BindAddress = bind,
            Port = port,
            OutboxPath = config["BETTER_AUTH_OUTBOX"] is { Length: > 0 } outbox ? outbox : null,
            DatabaseDescription = $"{auth.Database.Provider}: {auth.Database.ConnectionString}",
        };
    }

    /// <summary><c>false</c>/<c>0</c> turns limiting off; <c>true</c>/<c>1</c> on; <c>W:M</c> on with window W seconds and M requests.</summary>
    private static void ApplyRateLimit(RateLimitOptions rate, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        value = value.Trim();
        if (value is "0" or "false" or "off") { rate.Enabled = false; return; }
        rate.Enabled = true;
        var parts = value.Split(':');
        if (parts.Length == 2 && int.TryParse(parts[0], out var w) && int.TryParse(parts[1], out var m))
        {
            rate.Window = w;
            rate.Max = m;
        }
    }

    /// <summary>A SQLite file path, a <c>sqlite:</c>/<c>file:</c> URL, or a full connection string.</summary>
    public static string SqliteConnectionString(string value)
    {
        if (value.Contains('=')) return value;
        foreach (var prefix in new[] { "sqlite://", "sqlite:", "file:" })
            if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) { value = value[prefix.Length..]; break; }
        return $"Data Source={value}";
    }
}
