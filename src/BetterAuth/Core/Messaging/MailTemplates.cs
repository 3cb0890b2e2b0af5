using System.Net;

namespace BetterAuth.Core.Messaging;

/// <summary>A mail ready to send: <paramref name="Subject"/>, plain <paramref name="Text"/> and <paramref name="Html"/>.</summary>
/// <param name="Subject">Subject line.</param>
/// <param name="Text">Plain-text body.</param>
/// <param name="Html">HTML body.</param>
public sealed record RenderedMail(string Subject, string Text, string Html);

/// <summary>Turns an auth message into a mail. Register your own implementation to change wording or branding.</summary>
public interface IAuthMailTemplates
{
    /// <summary>The mail for a message.</summary>
    RenderedMail Render(AuthMessage message);
}

/// <summary>Plain, readable default mails (text and HTML) for every kind core and the plugins send.</summary>
public sealed class DefaultMailTemplates(BetterAuthOptions options) : IAuthMailTemplates
{
    /// <summary>The mail for a message.</summary>
    public RenderedMail Render(AuthMessage message)
    {
        var app = options.AppName;
        var (subject, intro, action) = message.Kind switch
        {
            "verify-email" => ($"Verify your email for {app}", "Please confirm your email address.", "Verify email"),
            "change-email" => ($"Confirm your new email for {app}", $"You asked to change your email to {message.Data.GetValueOrDefault("newEmail")}. Confirm the change:", "Confirm change"),
            "reset-password" => ($"Reset your {app} password", "Someone (hopefully you) asked to reset your password. The link works once and expires soon.", "Reset password"),
            "delete-account" => ($"Confirm deleting your {app} account", "You asked to delete your account. This cannot be undone.", "Delete my account"),
            "magic-link" => ($"Sign in to {app}", "Use this link to sign in. It works once and expires in a few minutes.", "Sign in"),
            "organization-invitation" => ($"You are invited to join an organization on {app}", "You have been invited to join an organization.", "Accept invitation"),
            _ when message.Otp is not null => ($"Your {app} code", "Use this code to continue:", null),
            _ => ($"A message from {app}", "", "Open"),
        };
        var footer = "If you did not ask for this, you can ignore this mail.";
        var text = message.Otp is not null
            ? $"{intro}\n\n    {message.Otp}\n\nThe code expires in a few minutes.\n\n{footer}\n"
            : $"{intro}\n\n{action}: {message.Url}\n\n{footer}\n";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en"><body style="font-family:system-ui,sans-serif;color:#212529;max-width:32rem;margin:2rem auto;line-height:1.5">
              <h1 style="font-size:1.25rem">{{WebUtility.HtmlEncode(subject)}}</h1>
              <p>{{WebUtility.HtmlEncode(intro)}}</p>
              {{(message.Otp is not null
                  ? $"<p style=\"font-size:2rem;letter-spacing:.3rem;font-family:ui-monospace,monospace\">{WebUtility.HtmlEncode(message.Otp)}</p>"
                  : $"<p><a href=\"{WebUtility.HtmlEncode(message.Url ?? "")}\" style=\"background:#111;color:#fff;padding:.6rem 1rem;border-radius:.4rem;text-decoration:none\">{WebUtility.HtmlEncode(action ?? "Open")}</a></p><p style=\"font-size:.85rem;color:#6c757d\">Or paste this link into your browser: {WebUtility.HtmlEncode(message.Url ?? "")}</p>")}}
              <p style="font-size:.85rem;color:#6c757d">{{footer}}</p>
            </body></html>
            """;
        return new RenderedMail(subject, text, html);
    }
}
