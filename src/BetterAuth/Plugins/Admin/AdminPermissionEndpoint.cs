using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// POST /admin/has-permission {permissions | permission (deprecated), userId?, role?} → {error:null, success}.
/// The caller's own session decides when there is one; without a session, the userId's stored role (or, for an
/// unknown id, the given role) is checked, as in Better Auth.
/// </summary>
internal sealed class AdminPermissionEndpoint(AdminAccess access)
{
    public AuthEndpoint Endpoint => AuthEndpoint.Post("/admin/has-permission", HasPermission) with
    {
        OperationId = "adminHasPermission",
        Summary = "Check if the user has permission",
        Body = [Field("permissions", ApiSchema.MapOf(ApiSchema.Strings), "The permission to check: actions by resource").Required(),
            Field("permission", ApiSchema.MapOf(ApiSchema.Strings), "Deprecated form of permissions"),
            Str("userId", "The user whose roles to check (default: the current user)"), Str("role", "A role to check instead of a user's")],
        Response = Returns("Success", Bool("success").Required(), Str("error")),
    };

    private async ValueTask<AuthResult> HasPermission(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var userId = body.OptionalCoercedString("userId");
        var role = body.String("role", Presence.Optional);
        var hasPermissions = body.Has("permissions");
        // Exactly one of the two, as the schema's union of {permission} and {permissions} demands.
        if (body.Has("permission") == hasPermissions) throw AuthError.InvalidBody();
        var request = body.Permissions(hasPermissions ? "permissions" : "permission", Presence.Required)!;

        var session = await ctx.GetSessionAsync();
        if (session is null && string.IsNullOrEmpty(userId) && string.IsNullOrEmpty(role)) throw new AuthError(401);
        var user = session?.User;
        if (user is null && !string.IsNullOrEmpty(userId)) user = await ctx.Store.FindUserByIdAsync(userId);
        if (user is null && !string.IsNullOrEmpty(role))
        {
            user = new User { Id = "" };
            user[AdminFields.Role] = role;
        }
        if (user is null) throw AuthError.BadRequest(AdminErrors.PermissionUserNotFound);

        var success = access.HasPermission(user.Id, user.Get<string>(AdminFields.Role), request);
        return AuthResult.Json(new AdminPermissionResponse(null, success));
    }
}
