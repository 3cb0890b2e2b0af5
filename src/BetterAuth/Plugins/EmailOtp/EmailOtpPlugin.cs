using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Plugins;

namespace BetterAuth.Plugins.EmailOtp;

/// <summary>
/// Better Auth's email-OTP plugin: one-time codes mailed for sign-in (with sign-up), email verification and password
/// reset. Codes go out as <c>email-otp:&lt;type&gt;</c> messages (data <c>type</c>) through the registered
/// <c>IAuthMessageSender</c>s.
/// </summary>
public sealed class EmailOtpPlugin(EmailOtpOptions? options = null) : IBetterAuthPlugin
{
    private static readonly string[] LimitedPaths = ["/email-otp/send-verification-otp", "/email-otp/verify-email", "/sign-in/email-otp"];

    /// <summary>The plugin's options.</summary>
    public EmailOtpOptions Options { get; } = options ?? new EmailOtpOptions();

    /// <summary>Better Auth's plugin id, <c>email-otp</c>.</summary>
    public string Id => "email-otp";

    /// <summary>Registers the plugin's endpoints and rate rules.</summary>
    public void Configure(AuthPluginBuilder builder)
    {
        var codes = new EmailOtpCodes(Options);
        foreach (var e in new EmailOtpEndpoints(Options, codes).All) builder.AddEndpoint(e);

        // Each of these is its own 3-per-minute rule, as Better Auth declares them.
        foreach (var path in LimitedPaths)
            builder.AddRateLimit(p => p == path, new RateLimitRule(60, 3));

        if (Options.SendVerificationOnSignUp)
            builder.After(ctx => ctx.Path.StartsWith("/sign-up", StringComparison.Ordinal), async (ctx, result) =>
            {
                // The new user's email as the sign-up answered it (no user in the answer: nothing to send).
                if (result.Body is TokenUserResponse { User.Email: { Length: > 0 } email })
                    await codes.IssueAndSendAsync(ctx, email, EmailOtpCodes.EmailVerification);
                return result;
            });
        builder.AddJsonTypes(EmailOtpJsonContext.Default);
        foreach (var type in EmailOtpCodes.Types) builder.ReserveVerificationPrefix(EmailOtpCodes.Identifier(type, ""));
    }
}
