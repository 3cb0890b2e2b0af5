using BetterAuth.Core.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace BetterAuth;

/// <summary>SMTP mail delivery for Better Auth (package BetterAuth.MailKit).</summary>
public static class BetterAuthMailKitExtensions
{
    /// <summary>
    /// Sends Better Auth's mails (verification, password reset, sign-in codes, invitations) over SMTP with MailKit,
    /// rendered by <see cref="IAuthMailTemplates"/> (the default English templates unless the host registers its own).
    /// Settings bind from <c>Smtp</c> under the Better Auth section (<c>BetterAuth:Smtp:Host</c>, <c>…:Port</c>,
    /// <c>…:UserName</c>, <c>…:Password</c>, <c>…:Security</c>, <c>…:From</c>), then <paramref name="configure"/>.
    /// </summary>
    public static BetterAuthBuilder UseMailKit(this BetterAuthBuilder builder, Action<SmtpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptions<SmtpOptions>();
        if (builder.Configuration is { } configuration) options.Bind(configuration.GetSection("Smtp"));
        if (configure is not null) options.Configure(configure);
        options.Validate(o => !string.IsNullOrWhiteSpace(o.Host), "BetterAuth:Smtp:Host is empty.")
            .Validate(o => o.Port is > 0 and < 65536, "BetterAuth:Smtp:Port must be between 1 and 65535.")
            .Validate(o => o.Security.ToLowerInvariant() is "auto" or "starttls" or "ssl" or "tls" or "none",
                "BetterAuth:Smtp:Security must be auto, starttls, ssl or none.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton<IAuthMailTemplates>(sp => new DefaultMailTemplates(sp.GetRequiredService<BetterAuthOptions>()));
        builder.Services.AddSingleton<IAuthMessageSender>(sp => new SmtpMessageSender(sp.GetRequiredService<IOptions<SmtpOptions>>().Value,
            sp.GetRequiredService<IAuthMailTemplates>(), sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<SmtpMessageSender>>()));
        return builder;
    }
}
