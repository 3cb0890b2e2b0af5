using System.Text.Json.Serialization;
using BetterAuth.Core;
using BetterAuth.Core.Http;
using BetterAuth.Core.Messaging;

namespace BetterAuth.Server.Pages;

/// <summary>
/// What a hosted page needs to know, injected into its HTML as JSON: which sign-in methods this server offers,
/// where the API is, and the request's callbackURL once it has passed core's trusted-origin rule.
/// </summary>
public sealed record PageConfig(
    string Page,
    string AppName,
    string BasePath,
    string? CallbackURL,
    bool CallbackRejected,
    PageFeatures Features,
    List<SocialButton> SocialProviders,
    int MinPasswordLength,
    int MaxPasswordLength,
    string? InvitationId);

public sealed record PageFeatures(
    bool EmailAndPassword,
    bool SignUp,
    bool Username,
    bool EmailOtp,
    bool MagicLink,
    bool PhoneNumber,
    bool TwoFactor,
    bool Organization,
    bool Admin,
    bool Messaging,
    bool Passkey);

public sealed record SocialButton(string Id, string Name);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PageConfig))]
internal sealed partial class PagesJsonContext : JsonSerializerContext;

/// <summary>Builds <see cref="PageConfig"/>s; the parts that do not depend on the request are computed once.</summary>
public sealed class PageConfigFactory
{
    private readonly AuthRuntime _auth;
    private readonly PageFeatures _features;
    private readonly List<SocialButton> _social;

    public PageConfigFactory(AuthRuntime auth, IEnumerable<IAuthMessageSender> senders)
    {
        _auth = auth;
        var options = auth.Options;
        var plugins = options.Plugins.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        _features = new PageFeatures(
            EmailAndPassword: options.EmailAndPassword.Enabled,
            SignUp: options.EmailAndPassword.Enabled && !options.EmailAndPassword.DisableSignUp,
            Username: plugins.Contains("username"),
            EmailOtp: plugins.Contains("email-otp"),
            MagicLink: plugins.Contains("magic-link"),
            PhoneNumber: plugins.Contains("phone-number"),
            TwoFactor: plugins.Contains("two-factor"),
            Organization: plugins.Contains("organization"),
            Admin: plugins.Contains("admin"),
            Messaging: senders.Any(),
            Passkey: plugins.Contains("passkey"));
        _social = options.SocialProviders
            .Where(p => p.Value.Enabled)
            .Select(p => new SocialButton(p.Key, string.IsNullOrWhiteSpace(p.Value.Name) ? DisplayName(p.Key) : p.Value.Name!))
            .OrderBy(p => p.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public PageConfig Create(HttpContext http, string page, string? invitationId = null)
    {
        var requested = http.Request.Query["callbackURL"].ToString();
        string? callback = null;
        var rejected = false;
        if (!string.IsNullOrEmpty(requested))
        {
            var origin = $"{http.Request.Scheme}://{http.Request.Host}";
            if (OriginCheck.IsTrustedCallback(_auth, origin, requested)) callback = requested;
            else rejected = true;
        }
        var password = _auth.Options.EmailAndPassword;
        return new PageConfig(page, _auth.Options.AppName, _auth.BasePath, callback, rejected, _features, _social,
            password.MinPasswordLength, password.MaxPasswordLength, invitationId);
    }

    /// <summary>"github" → "GitHub": the names people know the built-in providers by; other ids are capitalised.</summary>
    private static string DisplayName(string id) => id.ToLowerInvariant() switch
    {
        "github" => "GitHub",
        "gitlab" => "GitLab",
        "google" => "Google",
        "microsoft" => "Microsoft",
        "apple" => "Apple",
        "discord" => "Discord",
        "facebook" => "Facebook",
        _ => id.Length == 0 ? id : char.ToUpperInvariant(id[0]) + id[1..],
    };
}
