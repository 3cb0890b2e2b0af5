using System.Net;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.OAuth;

namespace BetterAuth.Server;

/// <summary>
/// The standalone server's configuration: the <c>BetterAuth</c> section of appsettings.json (bound onto
/// <see cref="BetterAuthOptions"/>), overridden by the conventional environment variables documented in the README.
/// </summary>
public sealed class ServerSettings
{
    public required BetterAuthOptions Auth { get; init; }
    /// <summary>The enabled plugins (<c>Plugins:&lt;Name&gt;:Enabled</c>), added on the Better Auth builder.</summary>
    public required IReadOnlyList<BetterAuth.Core.Plugins.IBetterAuthPlugin> Plugins { get; init; }
    public required IPAddress BindAddress { get; init; }
    public required int Port { get; init; }
    /// <summary>
    /// True: the server listens on <see cref="BindAddress"/>:<see cref="Port"/> (<c>HOST</c>/<c>PORT</c>, or the default
    /// 127.0.0.1:3000). False: ASP.NET Core's own settings are in force (<c>ASPNETCORE_URLS</c>,
    /// <c>ASPNETCORE_HTTP_PORTS</c>/<c>HTTPS_PORTS</c>, <c>Kestrel:Endpoints</c> with their certificates).
    /// </summary>
    public required bool ListensOnHostAndPort { get; init; }
    public string? OutboxPath { get; init; }
    /// <summary><c>BETTER_AUTH_OPERATION_LOG_DIR</c>: where to record the operations served (see <see cref="OperationLog"/>); off when unset.</summary>
    public string? OperationLogDirectory { get; init; }
    /// <summary>SMTP delivery, when <c>SMTP_HOST</c> (or the <c>Smtp</c> section) is set.</summary>
    public SmtpOptions? Smtp { get; init; }
    public required string DatabaseDescription { get; init; }

    public static ServerSettings Read(IConfiguration config, IHostEnvironment env)
    {
        var auth = new BetterAuthOptions();
        config.GetSection("BetterAuth").Bind(auth);

        var port = int.TryParse(config["PORT"], out var p) ? p : 3000;
        var host = config["HOST"] is { Length: > 0 } h0 ? h0 : "127.0.0.1";
        var bind = host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(host);
        // HOST/PORT win; without them, ASP.NET Core's own binding settings (as a container image sets them); else 3000.
        var standard = StandardBinding(config);
        var hostAndPort = config["PORT"] is { Length: > 0 } || config["HOST"] is { Length: > 0 } || standard is null;

        var baseUrl = config["BETTER_AUTH_URL"] ?? auth.BaseUrl;
        if (string.IsNullOrEmpty(baseUrl))
        {
            var local = hostAndPort ? new Uri($"http://{(bind.Equals(IPAddress.Any) ? "127.0.0.1" : host)}:{port}") : standard!;
            baseUrl = local.GetLeftPart(UriPartial.Authority);
            // A browser may reach a loopback dev server by either name.
            auth.TrustedOrigins.Add($"{local.Scheme}://localhost:{local.Port}");
            auth.TrustedOrigins.Add($"{local.Scheme}://127.0.0.1:{local.Port}");
        }
        auth.BaseUrl = baseUrl;

        if (config["BETTER_AUTH_SECRET"] is { Length: > 0 } secret) auth.Secret = secret;
        // Later Better Auth's versioned secrets, current first: "2:new-secret,1:old-secret".
        if (config["BETTER_AUTH_SECRETS"] is { Length: > 0 } secrets)
        {
            try { auth.Secrets = VersionedSecret.ParseList(secrets); }
            catch (FormatException e) { throw new InvalidOperationException(e.Message, e); }
        }
        if (string.IsNullOrEmpty(auth.Secret) && auth.Secrets.Count == 0 && env.IsProduction())
            throw new InvalidOperationException(
                "BETTER_AUTH_SECRET is not set. Refusing to start in production with the public development secret. " +
                "Set BETTER_AUTH_SECRET (or BETTER_AUTH_SECRETS) to a long random value (e.g. `openssl rand -base64 32`), or run with ASPNETCORE_ENVIRONMENT=Development.");

        if (config["BETTER_AUTH_TRUSTED_ORIGINS"] is { Length: > 0 } origins)
            auth.TrustedOrigins.AddRange(origins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (config["BETTER_AUTH_TRUSTED_PROXIES"] is { Length: > 0 } proxies)
        {
            auth.Advanced.IpAddress.TrustedProxies.AddRange(proxies.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (auth.Advanced.IpAddress.IpAddressHeaders.Count == 0) auth.Advanced.IpAddress.IpAddressHeaders.Add("X-Forwarded-For");
        }
        ApplyRateLimit(auth.RateLimit, config["BETTER_AUTH_RATE_LIMIT"]);
        ApplySocialProviders(auth.SocialProviders, config);

        var database = config["DATABASE_URL"];
        if (!string.IsNullOrEmpty(database)) ApplyDatabase(auth.Database, database);
        // Redis secondary storage (sessions and rate limits shared by several instances): redis://… or host:port,….
        if (config["REDIS_URL"] is { Length: > 0 } redis) auth.SecondaryStorage.Redis = redis;

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
            Plugins = ServerPlugins.Enabled(config).ToList(),
            BindAddress = bind,
            Port = port,
            ListensOnHostAndPort = hostAndPort,
            OutboxPath = config["BETTER_AUTH_OUTBOX"] is { Length: > 0 } outbox ? outbox : null,
            OperationLogDirectory = config["BETTER_AUTH_OPERATION_LOG_DIR"] is { Length: > 0 } opLog ? opLog : null,
            DatabaseDescription = $"{auth.Database.Provider}: {WithoutPassword(auth.Database.ConnectionString)}" +
                                  (auth.SecondaryStorage.Redis is { Length: > 0 } ? ", with Redis secondary storage" : ""),
        };
    }

    /// <summary>
    /// The first address ASP.NET Core's own settings bind, seen from this machine (a wildcard host as 127.0.0.1), in
    /// Kestrel's order of precedence: the first <c>Kestrel:Endpoints</c> URL, else <c>urls</c> (<c>ASPNETCORE_URLS</c>,
    /// <c>--urls</c>), else <c>http_ports</c>/<c>https_ports</c> (<c>ASPNETCORE_HTTP_PORTS</c>, the .NET container
    /// images' 8080). Null when none is set.
    /// </summary>
    public static Uri? StandardBinding(IConfiguration config)
    {
        static Uri? Local(string? url)
        {
            if (string.IsNullOrWhiteSpace(url)) return null;
            var text = url.Trim();
            var hostStart = text.IndexOf("://", StringComparison.Ordinal) + 3;
            if (hostStart < 3) return null;
            var hostEnd = text.IndexOfAny([':', '/'], text[hostStart] == '[' ? text.IndexOf(']', hostStart) : hostStart);
            var hostPart = hostEnd < 0 ? text[hostStart..] : text[hostStart..hostEnd];
            if (hostPart is "*" or "+" or "0.0.0.0" or "[::]" or "") text = text[..hostStart] + "127.0.0.1" + (hostEnd < 0 ? "" : text[hostEnd..]);
            return Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri : null;
        }
        static string? FirstPort(string? ports) => ports?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();

        // Kestrel's order: endpoints from configuration replace the URLs and ports, and URLs replace the ports.
        if (config.GetSection("Kestrel:Endpoints").GetChildren().Select(e => Local(e["Url"])).FirstOrDefault(u => u is not null) is { } endpoint)
            return endpoint;
        if (Local(config["urls"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault()) is { } url) return url;
        if (FirstPort(config["http_ports"]) is { } http && Local($"http://127.0.0.1:{http}") is { } httpUrl) return httpUrl;
        if (FirstPort(config["https_ports"]) is { } https && Local($"https://127.0.0.1:{https}") is { } httpsUrl) return httpsUrl;
        return null;
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

    /// <summary>
    /// DATABASE_URL: a <c>postgres://</c> or <c>postgresql://</c> URL or an Npgsql connection string (<c>Host=…</c>)
    /// selects PostgreSQL; anything else is SQLite (a file path, <c>sqlite:</c>/<c>file:</c> URL or connection string).
    /// </summary>
    public static void ApplyDatabase(DatabaseOptions database, string value)
    {
        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            database.Provider = "postgres";
            database.ConnectionString = PostgresConnectionString(value);
        }
        else if (database.IsPostgres || LooksLikeNpgsql(value))
        {
            database.Provider = "postgres";
            database.ConnectionString = value;
        }
        else
        {
            database.Provider = "sqlite";
            database.ConnectionString = SqliteConnectionString(value);
        }
    }

    private static bool LooksLikeNpgsql(string value) =>
        value.Contains('=') && value.Split(';').Any(part => part.Split('=', 2)[0].Trim().ToLowerInvariant() is "host" or "server" or "username" or "user id");

    /// <summary>
    /// <c>postgres://user:pass@host:port/db?sslmode=require</c> (as Heroku, Render, Supabase… give it) as an Npgsql
    /// connection string. User, password and database are percent-decoded; query parameters Npgsql knows are kept, by
    /// their libpq names (<c>sslmode</c>, <c>connect_timeout</c>, <c>application_name</c>) or Npgsql's
    /// (<c>Maximum%20Pool%20Size=20</c> or <c>Maximum+Pool+Size=20</c>).
    /// </summary>
    public static string PostgresConnectionString(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
            throw new InvalidOperationException("DATABASE_URL is not a valid postgres:// URL.");
        var builder = new Npgsql.NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']'), Port = uri.Port > 0 ? uri.Port : 5432 };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2) builder.Password = Uri.UnescapeDataString(parts[1]);
        }
        var path = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (path.Length > 0) builder.Database = path;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            // Npgsql's own names have spaces; a form-encoded query (what URLSearchParams writes) gives them as '+'.
            var key = Uri.UnescapeDataString(kv[0].Replace('+', ' '));
            var value = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
            // libpq spellings that Npgsql names differently.
            key = key.ToLowerInvariant() switch { "sslmode" => "SSL Mode", "connect_timeout" => "Timeout", "application_name" => "Application Name", _ => key };
            if (key == "SSL Mode") value = value.Replace("-", ""); // verify-full → VerifyFull
            try { builder[key] = value; }
            catch (ArgumentException) { throw new InvalidOperationException($"DATABASE_URL has a parameter Npgsql does not know: '{kv[0]}'."); }
        }
        return builder.ConnectionString;
    }

    /// <summary>The connection string for logs: any password replaced.</summary>
    public static string WithoutPassword(string connectionString) =>
        System.Text.RegularExpressions.Regex.Replace(connectionString, @"(?i)(password|pwd)\s*=\s*[^;]*", "$1=***");

    /// <summary>Providers whose conventional <c>&lt;ID&gt;_CLIENT_ID</c>/<c>&lt;ID&gt;_CLIENT_SECRET</c> variables may configure them.</summary>
    private static readonly string[] EnvProviders = ["google", "github", "microsoft", "apple", "discord", "gitlab", "facebook"];

    /// <summary>
    /// Social providers from, in increasing precedence: <c>BetterAuth:SocialProviders:&lt;id&gt;</c> (bound with the
    /// rest of the section), a top-level <c>SocialProviders:&lt;id&gt;</c> section (env <c>SocialProviders__github__ClientId</c>),
    /// and the conventional variables <c>GOOGLE_CLIENT_ID</c>, <c>GOOGLE_CLIENT_SECRET</c>, ... plus
    /// <c>MICROSOFT_TENANT_ID</c>, <c>GITLAB_ISSUER</c> and, for one generic OpenID Connect provider,
    /// <c>OIDC_DISCOVERY_URL</c>/<c>OIDC_CLIENT_ID</c>/<c>OIDC_CLIENT_SECRET</c> (id <c>OIDC_PROVIDER_ID</c>, default <c>oidc</c>).
    /// </summary>
    private static void ApplySocialProviders(Dictionary<string, SocialProviderOptions> providers, IConfiguration config)
    {
        config.GetSection("SocialProviders").Bind(providers);
        SocialProviderOptions Entry(string id) => providers.TryGetValue(id, out var p) ? p : providers[id] = new SocialProviderOptions();
        foreach (var id in EnvProviders)
        {
            var prefix = id.ToUpperInvariant();
            if (config[$"{prefix}_CLIENT_ID"] is not { Length: > 0 } clientId) continue;
            var entry = Entry(id);
            entry.ClientId = clientId;
            if (config[$"{prefix}_CLIENT_SECRET"] is { Length: > 0 } secret) entry.ClientSecret = secret;
        }
        if (config["MICROSOFT_TENANT_ID"] is { Length: > 0 } tenant && providers.TryGetValue("microsoft", out var microsoft)) microsoft.TenantId = tenant;
        if (config["GITLAB_ISSUER"] is { Length: > 0 } gitlabUrl && providers.TryGetValue("gitlab", out var gitlab)) gitlab.Issuer = gitlabUrl;
        if (config["OIDC_DISCOVERY_URL"] is { Length: > 0 } discovery)
        {
            var entry = Entry(config["OIDC_PROVIDER_ID"] is { Length: > 0 } oidcId ? oidcId : "oidc");
            entry.Type = "oidc";
            entry.DiscoveryUrl = discovery;
            if (config["OIDC_CLIENT_ID"] is { Length: > 0 } clientId) entry.ClientId = clientId;
            if (config["OIDC_CLIENT_SECRET"] is { Length: > 0 } secret) entry.ClientSecret = secret;
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
