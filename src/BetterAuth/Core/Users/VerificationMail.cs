using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Messaging;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Tokens;

namespace BetterAuth.Core.Users;

/// <summary>Sends the email-verification link, the one flow shared by sign-up, sign-in, change-email and resend.</summary>
internal static class VerificationMail
{
    public const string NotEnabled = "Verification email isn't enabled";

    public static bool IsEnabled(AuthContext ctx) => ctx.GetService<AuthMessenger>().HasSenders;

    /// <summary>
    /// Mails <c>{baseURL}/verify-email?token=JWT&amp;callbackURL=…</c> to <paramref name="to"/> (the callback goes in raw,
    /// as Better Auth writes it). Throws "Verification email isn't enabled" when no sender is registered.
    /// </summary>
    public static async Task SendAsync(AuthContext ctx, string to, string? callbackUrl, string? updateTo = null, string kind = "verify-email",
        string? tokenEmail = null)
    {
        if (!IsEnabled(ctx)) throw AuthError.BadRequest(NotEnabled);
        var token = ctx.GetService<EmailVerificationTokens>().Create(tokenEmail ?? to, updateTo);
        var url = $"{ctx.BaseUrl}/verify-email?token={token}&callbackURL={(string.IsNullOrEmpty(callbackUrl) ? "/" : callbackUrl)}";
        await ctx.GetService<AuthMessenger>().SendAsync(ctx, Message(ctx, to, token, url, updateTo, kind));
    }

    /// <summary>
    /// For an address with no account (send-verification-email without a session): when messages are queued, the same
    /// write a real link makes, as a decoy that is never sent.
    /// </summary>
    public static Task DecoyAsync(AuthContext ctx, string to, string? callbackUrl)
    {
        var token = ctx.GetService<EmailVerificationTokens>().Create(to);
        var url = $"{ctx.BaseUrl}/verify-email?token={token}&callbackURL={(string.IsNullOrEmpty(callbackUrl) ? "/" : callbackUrl)}";
        return ctx.GetService<AuthMessenger>().DecoyAsync(ctx, () => Task.CompletedTask, Message(ctx, to, token, url, null, "verify-email"));
    }

    private static AuthMessage Message(AuthContext ctx, string to, string token, string url, string? updateTo, string kind) =>
        new(kind, to)
        {
            Token = token,
            Url = url,
            Data = updateTo is null ? new Dictionary<string, string?>() : new Dictionary<string, string?> { ["newEmail"] = updateTo },
        };

    /// <summary>Sends when a sender exists, silently does nothing otherwise (sign-up and sign-in side effects).</summary>
    public static Task SendIfEnabledAsync(AuthContext ctx, User user, string? callbackUrl) =>
        IsEnabled(ctx) ? SendAsync(ctx, user.Email, callbackUrl) : Task.CompletedTask;
}
