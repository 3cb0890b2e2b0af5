using BetterAuth.Core.Http;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.PhoneNumber;

/// <summary>
/// Better Auth's phone-number plugin: sign in with a phone number and password, verify a number with a texted code
/// (signing in, signing up or changing the signed-in user's number), and reset a password by code. Codes go out as
/// <c>phone-otp</c> / <c>phone-reset-password-otp</c> messages through the registered <c>IAuthMessageSender</c>s
/// (for example <see cref="SmsWebhookSender"/>).
/// </summary>
public sealed class PhoneNumberPlugin(PhoneNumberOptions? options = null) : IBetterAuthPlugin
{
    /// <summary>The <c>user</c> column holding the phone number.</summary>
    public const string PhoneNumberField = "phoneNumber";
    /// <summary>The <c>user</c> column saying whether the number was verified.</summary>
    public const string PhoneNumberVerifiedField = "phoneNumberVerified";

    /// <summary>The plugin's options.</summary>
    public PhoneNumberOptions Options { get; } = options ?? new PhoneNumberOptions();

    /// <summary>Better Auth's plugin id, <c>phone-number</c>.</summary>
    public string Id => "phone-number";

    /// <summary>Registers the plugin's endpoints, user columns, rate rules and SMS webhook sender.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        Options.SignUpOnVerification.Validate();
        // Not client input (Better Auth lets sign-up store any unverified number, which lands a later verification of
        // it in that account): a number is set only by /phone-number/verify; update-user may clear it.
        builder.AddUserField(new FieldDefinition(PhoneNumberField, FieldType.String) { Unique = true, Input = false, ClientMayClear = true });
        builder.AddUserField(new FieldDefinition(PhoneNumberVerifiedField, FieldType.Boolean) { Input = false });

        var codes = new PhoneCodes(Options);
        foreach (var e in new PhoneNumberEndpoints(Options, codes).All) builder.AddEndpoint(e);
        foreach (var e in new PhoneNumberPasswordReset(codes).All) builder.AddEndpoint(e);

        // Better Auth sets window 60*1000 in a field counted in seconds (a unit bug: ~16.7 hours); one minute is meant.
        builder.AddRateLimit(path => path.StartsWith("/phone-number", StringComparison.Ordinal), new RateLimitRule(60, 10));
        builder.AddJsonTypes(PhoneNumberJsonContext.Default);
        // The code row of a number is the bare number (free form); its reset row carries this mark.
        builder.ReserveVerificationSuffix(PhoneCodes.ResetSuffix);
        PhoneNumberUpdateGuard.Register(builder);

        if (!string.IsNullOrEmpty(Options.SmsWebhook.Url)) builder.Services.AddSmsWebhookSender(Options.SmsWebhook);
    }
}
