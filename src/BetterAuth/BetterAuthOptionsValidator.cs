using BetterAuth.Core;
using BetterAuth.Core.OAuth;
using BetterAuth.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BetterAuth;

/// <summary>
/// Checks <see cref="BetterAuthOptions"/> when the host starts (<c>ValidateOnStart</c>). Each failure names the setting
/// by its configuration path (<c>BetterAuth:Session:ExpiresIn</c>), so it can be found in appsettings.json or as the
/// environment variable <c>BetterAuth__Session__ExpiresIn</c>.
/// </summary>
internal sealed class BetterAuthOptionsValidator(BetterAuthRegistration registration, IServiceProvider services) : IValidateOptions<BetterAuthOptions>
{
    public ValidateOptionsResult Validate(string? name, BetterAuthOptions o)
    {
        var prefix = registration.Configuration is IConfigurationSection { Path.Length: > 0 } section ? section.Path : "BetterAuth";
        var failures = new List<string>();
        void Check(bool ok, string setting, string problem)
        {
            if (!ok) failures.Add($"{prefix}:{setting} {problem}");
        }

        var environment = services.GetService<IHostEnvironment>();
        var secretMissing = (string.IsNullOrEmpty(o.Secret) || o.Secret == AuthRuntime.DevelopmentSecret) && o.Secrets is not { Count: > 0 };
        Check(!(secretMissing && environment?.IsProduction() == true), "Secret",
            "is not set. Set it to a long random value (e.g. `openssl rand -base64 32`); the development default is public and would let anyone forge sessions.");
        var versions = new HashSet<int>();
        for (var i = 0; i < (o.Secrets?.Count ?? 0); i++)
        {
            var entry = o.Secrets![i];
            Check(entry is not null && entry.Version >= 0, $"Secrets:{i}:Version", $"must be a non-negative integer (is {entry?.Version}).");
            Check(entry is null || entry.Version < 0 || versions.Add(entry.Version), $"Secrets:{i}:Version", $"{entry?.Version} is listed twice; each version must be unique.");
            Check(!string.IsNullOrEmpty(entry?.Value), $"Secrets:{i}:Value", "is empty.");
            Check(entry?.Value != AuthRuntime.DevelopmentSecret || environment?.IsProduction() != true, $"Secrets:{i}:Value",
                "is Better Auth's public development secret.");
        }
        Check(string.IsNullOrEmpty(o.BaseUrl) || Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var baseUri) && baseUri.Scheme is "http" or "https",
            "BaseUrl", $"'{o.BaseUrl}' is not an absolute http(s) URL.");
        Check(o.BasePath is not null && (o.BasePath.Length == 0 || o.BasePath.StartsWith('/')), "BasePath", $"'{o.BasePath}' must start with '/'.");
        for (var i = 0; i < o.TrustedOrigins.Count; i++)
            Check(!string.IsNullOrWhiteSpace(o.TrustedOrigins[i]), $"TrustedOrigins:{i}", "is empty.");
        Check(o.MaxBodyBytes > 0, "MaxBodyBytes", $"must be greater than 0 (is {o.MaxBodyBytes}).");

        Check(o.EmailAndPassword.MaxConcurrentPasswordHashes is null or >= 1, "EmailAndPassword:MaxConcurrentPasswordHashes",
            $"must be at least 1, or unset for one per core (is {o.EmailAndPassword.MaxConcurrentPasswordHashes}).");
        Check(o.EmailAndPassword.MinPasswordLength >= 1, "EmailAndPassword:MinPasswordLength", $"must be at least 1 (is {o.EmailAndPassword.MinPasswordLength}).");
        Check(o.EmailAndPassword.MaxPasswordLength >= o.EmailAndPassword.MinPasswordLength, "EmailAndPassword:MaxPasswordLength",
            $"must not be less than MinPasswordLength ({o.EmailAndPassword.MaxPasswordLength} < {o.EmailAndPassword.MinPasswordLength}).");
        Check(o.EmailAndPassword.ResetPasswordTokenExpiresIn > 0, "EmailAndPassword:ResetPasswordTokenExpiresIn", "must be a positive number of seconds.");
        Check(o.EmailVerification.ExpiresIn > 0, "EmailVerification:ExpiresIn", "must be a positive number of seconds.");
        Check(o.User.DeleteUser.DeleteTokenExpiresIn > 0, "User:DeleteUser:DeleteTokenExpiresIn", "must be a positive number of seconds.");
        Check(o.Session.ExpiresIn > 0, "Session:ExpiresIn", $"must be a positive number of seconds (is {o.Session.ExpiresIn}).");
        Check(o.Session.UpdateAge >= 0, "Session:UpdateAge", $"must not be negative (is {o.Session.UpdateAge}).");
        Check(o.Session.FreshAge >= 0, "Session:FreshAge", $"must not be negative (is {o.Session.FreshAge}).");
        Check(o.Session.CookieCache.MaxAge > 0, "Session:CookieCache:MaxAge", $"must be a positive number of seconds (is {o.Session.CookieCache.MaxAge}).");
        Check(o.RateLimit.Window > 0, "RateLimit:Window", $"must be a positive number of seconds (is {o.RateLimit.Window}).");
        Check(o.RateLimit.Max > 0, "RateLimit:Max", $"must be greater than 0 (is {o.RateLimit.Max}).");
        foreach (var (path, rule) in o.RateLimit.CustomRules)
            Check(rule is null || rule.Window > 0 && rule.Max > 0, $"RateLimit:CustomRules:{path}", "needs a positive Window and Max.");
        var m = o.Messages;
        Check(m.MaxAttempts >= 1, "Messages:MaxAttempts", $"must be at least 1 (is {m.MaxAttempts}).");
        Check(m.RetryDelay >= 1, "Messages:RetryDelay", $"must be at least 1 second (is {m.RetryDelay}).");
        Check(m.MaxRetryDelay >= m.RetryDelay, "Messages:MaxRetryDelay", $"must not be less than RetryDelay ({m.MaxRetryDelay} < {m.RetryDelay}).");
        Check(m.PollInterval >= 1, "Messages:PollInterval", $"must be at least 1 second (is {m.PollInterval}).");
        Check(m.ClaimTimeout >= 1, "Messages:ClaimTimeout", $"must be at least 1 second (is {m.ClaimTimeout}).");
        Check(m.BatchSize >= 1, "Messages:BatchSize", $"must be at least 1 (is {m.BatchSize}).");
        Check(m.Concurrency >= 1, "Messages:Concurrency", $"must be at least 1 (is {m.Concurrency}).");
        Check(m.DeadLetterRetentionDays >= 1, "Messages:DeadLetterRetentionDays", $"must be at least 1 (is {m.DeadLetterRetentionDays}).");
        Check(o.SecondaryStorage.SessionCacheMaxAge > 0, "SecondaryStorage:SessionCacheMaxAge", "must be a positive number of seconds.");

        var database = services.GetService<AuthDatabaseProvider>();
        if (database is null) failures.Add(AuthDatabaseProvider.Missing().Message);
        else if (database.HostContext is null)
        {
            Check(o.Database.IsSqlite || o.Database.IsPostgres, "Database:Provider", $"'{o.Database.Provider}' is not supported (sqlite or postgres).");
            Check(database.Name != "sqlite" || !string.IsNullOrWhiteSpace(o.Database.ConnectionString), "Database:ConnectionString", "is empty.");
            if (database.Problem(services, o.Database) is { } problem) failures.Add($"{prefix}:Database:{problem}");
        }
        // Asked without resolving: the Redis services themselves depend on these options.
        var registered = services.GetService<IServiceProviderIsService>();
        Check(string.IsNullOrWhiteSpace(o.SecondaryStorage.Redis) || registered?.IsService(typeof(ISessionCache)) == true, "SecondaryStorage:Redis",
            "is set, but no Redis storage is registered: add the BetterAuth.Redis package and call UseRedis() on AddBetterAuth(...).");

        try { SocialProviderRegistry.Resolve(o); }
        catch (InvalidOperationException e)
        {
            failures.Add(System.Text.RegularExpressions.Regex.Replace(e.Message, "^BetterAuth: social provider '([^']*)' ", $"{prefix}:SocialProviders:$1 "));
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
