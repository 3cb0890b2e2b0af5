using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Plugins;

namespace BetterAuth.Plugins.PhoneNumber;

/// <summary>
/// Keeps <c>/update-user</c> from setting a phone number. Better Auth 1.2.12 lets it (phoneNumber accepts input), so a
/// user could attach a number they never proved, keeping a verified flag earned by an earlier number; later Better Auth
/// versions refuse it the same way: a number comes only from <c>/phone-number/verify</c>. Clearing it (null) stays
/// allowed and also clears the verified flag.
/// </summary>
internal static class PhoneNumberUpdateGuard
{
    public const string CannotBeUpdated = "Phone number cannot be updated";

    public static void Register(AuthPluginBuilder builder)
    {
        builder.Before(ctx => ctx.Path == "/update-user", ctx =>
        {
            if (PhoneNumberInBody(ctx) is { ValueKind: not JsonValueKind.Null }) throw AuthError.BadRequest(CannotBeUpdated);
            return ValueTask.FromResult<AuthResult?>(null);
        });
        builder.After(ctx => ctx.Path == "/update-user", async (ctx, result) =>
        {
            if (result.Status == 200 && PhoneNumberInBody(ctx) is { ValueKind: JsonValueKind.Null } && await ctx.GetSessionAsync() is { } session)
                await ctx.Store.UpdateUserAsync(session.User.Id, u => u[PhoneNumberPlugin.PhoneNumberVerifiedField] = false);
            return result;
        });
    }

    /// <summary>The body's phoneNumber member, or null when absent (or the body is not an object: the endpoint answers that).</summary>
    private static JsonElement? PhoneNumberInBody(AuthContext ctx)
    {
        try
        {
            return ctx.BodyObject().TryGetProperty(PhoneNumberPlugin.PhoneNumberField, out var value) ? value : null;
        }
        catch (AuthError)
        {
            return null;
        }
    }
}
