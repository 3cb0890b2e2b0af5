using BetterAuth.Plugins.EmailOtp;

namespace BetterAuth;

/// <summary>Enables the EmailOtp plugin on the builder <c>AddBetterAuth(...)</c> returns.</summary>
public static class EmailOtpBuilderExtensions
{
    /// <summary>
    /// Better Auth's email-OTP plugin: one-time codes by mail for sign-in, verification and password reset. Options bind from <c>Plugins:EmailOtp</c> under the Better Auth configuration section
    /// (e.g. <c>BetterAuth:Plugins:EmailOtp</c>), then <paramref name="configure"/> changes them.
    /// </summary>
    public static BetterAuthBuilder AddEmailOtp(this BetterAuthBuilder builder, Action<EmailOtpOptions>? configure = null) =>
        builder.AddPlugin<EmailOtpOptions>("EmailOtp", options => new EmailOtpPlugin(options), configure);
}
