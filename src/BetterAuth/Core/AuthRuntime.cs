using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using BetterAuth.Core.Cookies;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Telemetry;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Core;

/// <summary>
/// The resolved configuration of one auth instance (Better Auth's <c>ctx.context</c>): defaults applied, secret
/// checked, cookies named, JSON options built, plugin registrations frozen. One per host, shared by all requests.
/// </summary>
public sealed class AuthRuntime : IDisposable
{
    /// <summary>Better Auth's public development secret: anyone can forge cookies with it.</summary>
    public const string DevelopmentSecret = "better-auth-secret-123456789";

    /// <summary>The options in force.</summary>
    public BetterAuthOptions Options { get; }
    internal AuthRegistry Registry { get; }
    internal AuthModel Model { get; }
    /// <summary>The secret that signs cookies and tokens (the public development secret when none is configured outside production).</summary>
    public string Secret { get; }
    internal SecretSigner Signer { get; }
    internal AuthCookies Cookies { get; }
    /// <summary>JSON settings of the API's answers (Better Auth's key names, dates and escaping).</summary>
    public JsonSerializerOptions Json { get; }
    internal RowJsonWriter Rows { get; }
    internal RowReader Reader { get; }
    /// <summary>The shared session cache (Redis secondary storage), if one is configured.</summary>
    internal ISessionCache? SessionCache { get; init; }
    /// <summary>The clock (the host's <see cref="TimeProvider"/>).</summary>
    public TimeProvider Time { get; }
    /// <summary>The password hasher.</summary>
    public IPasswordHasher Passwords { get; }
    /// <summary>The <c>BetterAuth</c> logger.</summary>
    public ILogger Logger { get; }
    /// <summary>The logger of security events (<see cref="BetterAuthDiagnostics.SecurityLogCategory"/>).</summary>
    internal ILogger SecurityLogger { get; }
    /// <summary>The library's metrics (see <see cref="AuthMetrics"/>).</summary>
    internal AuthMetrics Metrics { get; init; } = NoMetrics;
    /// <summary>Instruments nobody collects from, for runtimes built without a service provider.</summary>
    private static readonly AuthMetrics NoMetrics = new();
    /// <summary>Where the API is mounted, e.g. <c>/api/auth</c>.</summary>
    public string BasePath { get; private set; }
    /// <summary>Origin of the configured base URL, if one is configured.</summary>
    public string? BaseOrigin { get; }
    /// <summary>Origins trusted for cookie-carrying requests and callback URLs (the base URL's first).</summary>
    public IReadOnlyList<string> TrustedOrigins { get; }

    /// <summary><see cref="TrustedOrigins"/> parsed for matching (entries that can never match are left out, with a warning).</summary>
    internal IReadOnlyList<TrustedOriginPattern> TrustedOriginPatterns { get; }

    internal AuthRuntime(BetterAuthOptions options, AuthRegistry registry, TimeProvider time, IPasswordHasher passwords,
        IHostEnvironment? environment, ILoggerFactory loggers, AuthDatabaseProvider? database = null)
    {
        Options = options;
        Registry = registry;
        Time = time;
        Passwords = passwords;
        Logger = loggers.CreateLogger("BetterAuth");
        SecurityLogger = loggers.CreateLogger(BetterAuthDiagnostics.SecurityLogCategory);
        BasePath = NormalizeBasePath(options.BasePath);
        var production = environment?.IsProduction() ?? false;

        Secret = options.Secret is { Length: > 0 } s ? s : DevelopmentSecret;
        if (ReferenceEquals(Secret, DevelopmentSecret) || Secret == DevelopmentSecret)
        {
            if (production)
                throw new InvalidOperationException(
                    "BetterAuth: no secret configured. Set BetterAuthOptions.Secret (BETTER_AUTH_SECRET) to a long random value; " +
                    "the development default is public and would let anyone forge sessions.");
            CoreLog.DevelopmentSecret(Logger);
        }
        else if (Secret.Length < 32)
            CoreLog.ShortSecret(Logger);
        Signer = new SecretSigner(Secret);

        if (!string.IsNullOrEmpty(options.BaseUrl))
        {
            if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUri))
                throw new InvalidOperationException($"BetterAuth: BaseUrl '{options.BaseUrl}' is not an absolute URL.");
            BaseOrigin = baseUri.GetLeftPart(UriPartial.Authority);
        }
        var secure = options.Advanced.UseSecureCookies
                     ?? (BaseOrigin is not null ? BaseOrigin.StartsWith("https://", StringComparison.OrdinalIgnoreCase) : production);
        Cookies = new AuthCookies(options, secure, BaseOrigin is null ? null : new Uri(BaseOrigin).Host);

        var trusted = new List<string>();
        if (BaseOrigin is not null) trusted.Add(BaseOrigin);
        trusted.AddRange(options.TrustedOrigins.Where(o => !string.IsNullOrWhiteSpace(o)).Select(o => o.Trim().TrimEnd('/')));
        TrustedOrigins = trusted;
        var patterns = new List<TrustedOriginPattern>();
        foreach (var origin in trusted)
        {
            if (TrustedOriginPattern.Parse(origin) is { } pattern) patterns.Add(pattern);
            else CoreLog.TrustedOriginIgnored(Logger, origin);
        }
        TrustedOriginPatterns = patterns;

        Model = new AuthModel(registry.Schema, registry.PluginModels);
        Rows = new RowJsonWriter(registry.Schema);
        Reader = new RowReader(registry.Schema, database?.PreparedReads(options.Database));
        Json = new JsonSerializerOptions
        {
            Encoder = JsStringEncoder.Instance,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            RespectNullableAnnotations = true,
            TypeInfoResolver = JsonTypeInfoResolver.Combine([CoreJsonContext.Default, .. registry.JsonResolvers]),
        };
        Json.Converters.Add(new JsDateConverter());
        Json.Converters.Add(new UserJsonConverter(Rows));
        Json.Converters.Add(new SessionJsonConverter(Rows));
        Json.MakeReadOnly(populateMissingResolver: false);
    }

    /// <summary>Releases the prepared database reads.</summary>
    public void Dispose() => Reader.Dispose();

    internal void SetBasePath(string basePath) => BasePath = NormalizeBasePath(basePath);

    /// <summary>The current time, truncated to milliseconds as Better Auth stores it.</summary>
    public DateTime Now => JsDate.Truncate(Time.GetUtcNow().UtcDateTime);

    private static string NormalizeBasePath(string path)
    {
        path = "/" + (path ?? "").Trim('/');
        return path == "/" ? "" : path;
    }
}
