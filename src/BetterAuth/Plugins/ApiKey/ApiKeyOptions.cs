using BetterAuth.Core.Http;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// Options of the API key plugin, named as Better Auth names them (plugins/api-key/types.ts) with its defaults. Bound
/// from the standalone server's <c>Plugins:ApiKey</c> section, e.g. <c>Plugins__ApiKey__DefaultPrefix=ba_</c>.
/// Better Auth's <c>disableKeyHashing</c> is deliberately not offered: keys are always stored as SHA-256 hashes.
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>Request headers a key is read from, first non-empty wins. Default <c>["x-api-key"]</c>.</summary>
    public string[] ApiKeyHeaders { get; set; } = ["x-api-key"];

    /// <summary>Random characters (A-Z, a-z) in a new key, after its prefix. Default 64.</summary>
    public int DefaultKeyLength { get; set; } = 64;

    /// <summary>Prefix of new keys when create names none, e.g. <c>"ba_"</c>. Default none.</summary>
    public string? DefaultPrefix { get; set; }

    /// <summary>Longest prefix create accepts. Default 32.</summary>
    public int MaximumPrefixLength { get; set; } = 32;
    /// <summary>Shortest prefix create accepts. Default 1.</summary>
    public int MinimumPrefixLength { get; set; } = 1;
    /// <summary>Longest name create and update accept. Default 32.</summary>
    public int MaximumNameLength { get; set; } = 32;
    /// <summary>Shortest name create and update accept (create lets an empty name through, as Better Auth does). Default 1.</summary>
    public int MinimumNameLength { get; set; } = 1;

    /// <summary>Accept <c>metadata</c> (any JSON object) on create and update. Default false.</summary>
    public bool EnableMetadata { get; set; }

    /// <summary>Key lifetimes: the default, and the bounds of <c>expiresIn</c>.</summary>
    public ApiKeyExpirationOptions KeyExpiration { get; set; } = new();

    /// <summary>Per-key rate limit defaults (each key row keeps its own window and maximum).</summary>
    public ApiKeyRateLimitOptions RateLimit { get; set; } = new();

    /// <summary>Whether and how many first characters of a key are kept in <c>start</c>.</summary>
    public ApiKeyStartingCharactersOptions StartingCharactersConfig { get; set; } = new();

    /// <summary>
    /// Do not treat a request carrying a key as signed in as the key's user (on the auth API and in the ASP.NET Core
    /// scheme). Default false: a valid key stands for its user's session.
    /// </summary>
    public bool DisableSessionForApiKeys { get; set; }

    /// <summary>Permissions of keys created without any (a server call may set others).</summary>
    public ApiKeyPermissionOptions Permissions { get; set; } = new();

    internal void Validate()
    {
        if (ApiKeyHeaders.Length == 0 || ApiKeyHeaders.Any(string.IsNullOrWhiteSpace)) throw Invalid("ApiKeyHeaders must name at least one header");
        if (DefaultKeyLength < 32) throw Invalid("DefaultKeyLength must be at least 32");
        if (MinimumPrefixLength < 0 || MaximumPrefixLength < MinimumPrefixLength) throw Invalid("prefix length bounds are inconsistent");
        if (MinimumNameLength < 0 || MaximumNameLength < MinimumNameLength) throw Invalid("name length bounds are inconsistent");
        if (DefaultPrefix is { } prefix && !ApiKeyInput.IsValidPrefix(prefix)) throw Invalid("DefaultPrefix may hold only letters, digits, '_' and '-'");
        if (StartingCharactersConfig.CharactersLength < 0) throw Invalid("StartingCharactersConfig.CharactersLength must not be negative");
        if (KeyExpiration.MinExpiresIn < 0 || KeyExpiration.MaxExpiresIn < KeyExpiration.MinExpiresIn) throw Invalid("KeyExpiration bounds are inconsistent");
        if (KeyExpiration.DefaultExpiresIn is <= 0) throw Invalid("KeyExpiration.DefaultExpiresIn must be positive (seconds) or unset");
        if (RateLimit.TimeWindow <= 0 || RateLimit.MaxRequests <= 0) throw Invalid("RateLimit.TimeWindow and MaxRequests must be positive");
    }

    private static InvalidOperationException Invalid(string message) => new($"API key plugin: {message}.");
}

/// <summary>Better Auth's <c>keyExpiration</c> options.</summary>
public sealed class ApiKeyExpirationOptions
{
    /// <summary>Lifetime in seconds of keys created without <c>expiresIn</c>. Default unset: such keys never expire.</summary>
    public long? DefaultExpiresIn { get; set; }

    /// <summary>Refuse <c>expiresIn</c> from create and update. Default false.</summary>
    public bool DisableCustomExpiresTime { get; set; }

    /// <summary>Smallest <c>expiresIn</c> accepted, in days. Default 1.</summary>
    public double MinExpiresIn { get; set; } = 1;

    /// <summary>Largest <c>expiresIn</c> accepted, in days. Default 365.</summary>
    public double MaxExpiresIn { get; set; } = 365;
}

/// <summary>Better Auth's per-key <c>rateLimit</c> options (each key row keeps its own values).</summary>
public sealed class ApiKeyRateLimitOptions
{
    /// <summary>Rate limit keys at all. Default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Window in milliseconds of new keys. Default 86400000 (one day).</summary>
    public long TimeWindow { get; set; } = 86_400_000;

    /// <summary>Requests allowed per window for new keys. Default 10.</summary>
    public long MaxRequests { get; set; } = 10;
}

/// <summary>Better Auth's <c>startingCharactersConfig</c>.</summary>
public sealed class ApiKeyStartingCharactersOptions
{
    /// <summary>Store the key's first characters (its prefix included) in <c>start</c>, to recognise it in a list. Default true.</summary>
    public bool ShouldStore { get; set; } = true;

    /// <summary>How many first characters. Default 6.</summary>
    public int CharactersLength { get; set; } = 6;
}

/// <summary>Better Auth's <c>permissions</c> options.</summary>
public sealed class ApiKeyPermissionOptions
{
    /// <summary>Permissions (resource → actions) given to keys created without any. Default none.</summary>
    public Dictionary<string, string[]>? DefaultPermissions { get; set; }

    /// <summary>Computes the default permissions per user instead (takes precedence over <see cref="DefaultPermissions"/>).</summary>
    public Func<string, AuthContext, ValueTask<Dictionary<string, string[]>?>>? DefaultPermissionsFor { get; set; }
}
