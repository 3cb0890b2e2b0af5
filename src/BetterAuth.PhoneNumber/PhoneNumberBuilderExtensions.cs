using BetterAuth.Plugins.PhoneNumber;

namespace BetterAuth;

/// <summary>Enables the PhoneNumber plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class PhoneNumberBuilderExtensions
{
    /// <summary>
    /// Better Auth's phone-number plugin: sign-in and verification by texted code (sent through the registered IAuthMessageSender, or SmsWebhook:Url). Options bind from <c>Plugins:PhoneNumber</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:PhoneNumber</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddPhoneNumber(this BetterAuthBuilder builder, Action<PhoneNumberOptions>? configure = null) =>
        builder.AddPlugin<PhoneNumberOptions>("PhoneNumber", options => new PhoneNumberPlugin(options), configure);
}
