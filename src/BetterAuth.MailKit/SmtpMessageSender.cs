using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace BetterAuth.Core.Messaging;

/// <summary>SMTP server settings for <see cref="SmtpMessageSender"/>.</summary>
public sealed class SmtpOptions
{
    /// <summary>SMTP server host name.</summary>
    public string Host { get; set; } = "localhost";
    /// <summary>SMTP port. Default 587.</summary>
    public int Port { get; set; } = 587;
    /// <summary>SMTP login name; no authentication when empty.</summary>
    public string? UserName { get; set; }
    /// <summary>SMTP password (with <see cref="UserName"/>).</summary>
    public string? Password { get; set; }
    /// <summary><c>auto</c> (default: STARTTLS when offered, TLS on port 465), <c>starttls</c>, <c>ssl</c>, or <c>none</c>.</summary>
    public string Security { get; set; } = "auto";
    /// <summary>The From address, e.g. <c>Acme &lt;no-reply@acme.com&gt;</c>.</summary>
    public string From { get; set; } = "no-reply@localhost";
    /// <summary>Bound of each SMTP step (connect, authenticate, send), in seconds. Default 15.</summary>
    public int TimeoutSeconds { get; set; } = 15;
}

/// <summary>Delivers mail messages over SMTP with MailKit, rendered by <see cref="IAuthMailTemplates"/>. SMS kinds are left to SMS senders.</summary>
internal sealed class SmtpMessageSender(SmtpOptions options, IAuthMailTemplates templates, ILogger<SmtpMessageSender> logger) : IAuthMessageSender
{
    public async Task SendAsync(AuthMessage message, CancellationToken ct = default)
    {
        if (message.Channel != AuthMessageChannel.Email) return; // a text to a phone number: not ours to deliver
        var mail = templates.Render(message);
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(options.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = mail.Subject;
        mime.Body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html }.ToMessageBody();

        // A client span for the SMTP conversation (server and kind; never the recipient or the message).
        using var span = Telemetry.AuthTelemetry.StartClient("better_auth.smtp.send");
        span?.SetTag(Telemetry.AuthTelemetry.ServerAddress, options.Host);
        span?.SetTag(Telemetry.AuthTelemetry.ServerPort, options.Port);
        span?.SetTag(Telemetry.AuthTelemetry.MessageKind, message.Kind);
        try
        {
            using var client = new SmtpClient { Timeout = options.TimeoutSeconds * 1000 };
            await client.ConnectAsync(options.Host, options.Port, SecurityFor(options), ct);
            if (!string.IsNullOrEmpty(options.UserName))
                await client.AuthenticateAsync(options.UserName, options.Password ?? "", ct);
            await client.SendAsync(mime, ct);
            await client.DisconnectAsync(true, ct);
        }
        catch (Exception e)
        {
            if (span is not null) Telemetry.AuthTelemetry.Fail(span, Telemetry.AuthTelemetry.ErrorTypeOf(e));
            throw;
        }
        Telemetry.CoreLog.MailSent(logger, message.Kind);
    }

    private static SecureSocketOptions SecurityFor(SmtpOptions o) => o.Security.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "ssl" or "tls" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
