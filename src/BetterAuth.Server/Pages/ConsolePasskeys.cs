using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Plugins.Passkey;

namespace BetterAuth.Server.Pages;

/// <summary>
/// The console's view of a user's passkeys (Better Auth's passkey endpoints only show the caller their own): list them,
/// and remove one, e.g. a lost device's. Removing a credential counts as managing the user's sign-in credentials, so it
/// needs the admin plugin's <c>user:set-password</c> permission as well as console access.
/// </summary>
public static partial class ConsoleApi
{
    /// <summary>GET /console/api/users/{id}/passkeys: the user's passkeys, oldest first, as the passkey plugin answers them.</summary>
    private static async ValueTask<AuthResult> UserPasskeysAsync(AuthContext ctx)
    {
        await RequireAdminAsync(ctx);
        RequirePasskeys(ctx);
        var userId = ctx.Http.Request.RouteValues["id"] as string ?? "";
        var passkeys = await PasskeyStore.ListAsync(ctx.Db, userId, ctx.Http.RequestAborted);
        return AuthResult.Json(passkeys.Select(PasskeyView.From).ToList());
    }

    /// <summary>POST /console/api/users/{id}/passkeys/{passkeyId}/delete: removes that passkey of that user; 404 if they have none such.</summary>
    private static async ValueTask<AuthResult> DeleteUserPasskeyAsync(AuthContext ctx)
    {
        await RequireAdminAsync(ctx, "set-password");
        RequirePasskeys(ctx);
        var route = ctx.Http.Request.RouteValues;
        var deleted = await PasskeyStore.DeleteAsync(ctx.Db, route["id"] as string ?? "", route["passkeyId"] as string ?? "", ctx.Http.RequestAborted);
        if (!deleted) throw AuthError.NotFound(PasskeyErrors.PasskeyNotFound);
        return AuthResult.Json(new StatusResponse(true));
    }

    private static void RequirePasskeys(AuthContext ctx)
    {
        if (!ctx.Auth.Options.Plugins.OfType<PasskeyPlugin>().Any()) throw AuthError.NotFound("The passkey plugin is disabled");
    }
}
