using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.TwoFactor;

/// <summary>
/// Better Auth's <c>twoFactor</c> plugin (1.2.12): TOTP, mailed one-time codes and backup codes as a second factor
/// after the password, with Better Auth's schema, cookies, encryption and answers, so a user enrolled by either server
/// signs in on the other. Differs deliberately in one way: a TOTP code is accepted once (<see cref="TotpReplayGuard"/>).
/// </summary>
public sealed class TwoFactorPlugin : IBetterAuthPlugin, IAuthLifecycle
{
    private readonly TwoFactorOptions _options;

    /// <summary>Creates the plugin; the options are checked now.</summary>
    public TwoFactorPlugin(TwoFactorOptions? options = null)
    {
        _options = options ?? new TwoFactorOptions();
        _options.Validate();
    }

    /// <summary>Better Auth's plugin id, <c>two-factor</c>.</summary>
    public string Id => "two-factor";

    /// <summary>Registers the plugin's endpoints, table, user column, sign-in challenge and rate rules.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        builder.AddUserField(new FieldDefinition(TwoFactorChallenge.EnabledField, FieldType.Boolean) { Input = false, DefaultValue = false });
        builder.AddModel(TwoFactorRow.Configure);
        builder.AddEncryptedColumn<TwoFactorRow>(nameof(TwoFactorRow.Secret));
        builder.AddEncryptedColumn<TwoFactorRow>(nameof(TwoFactorRow.BackupCodes));

        var totp = new TotpCodes(_options.TotpOptions.Digits, _options.TotpOptions.Period);
        foreach (var endpoint in new TwoFactorEnrolmentEndpoints(_options, totp).All) builder.AddEndpoint(endpoint);
        foreach (var endpoint in new TwoFactorVerifyEndpoints(_options, totp).All) builder.AddEndpoint(endpoint);

        builder.AddSignInChallenge(new TwoFactorChallenge(_options));
        builder.AddRateLimit(path => path.StartsWith("/two-factor/", StringComparison.Ordinal), new RateLimitRule(10, 3));
        builder.AddJsonTypes(TwoFactorJsonContext.Default);
        builder.ReserveVerificationPrefix(TwoFactorChallenge.VerificationPrefix);
        builder.AddLifecycle(this);
    }

    /// <summary>A deleted user's enrolment goes first: databases created by Better Auth have no cascade on twoFactor.userId.</summary>
    public async ValueTask OnUserDeletingAsync(AuthStoreContext ctx, User user) =>
        await ctx.Db.Set<TwoFactorRow>().Where(t => t.UserId == user.Id).ExecuteDeleteAsync();
}
