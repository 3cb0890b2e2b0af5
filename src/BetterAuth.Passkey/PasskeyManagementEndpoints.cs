using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Passkey;

/// <summary>The signed-in user's own passkeys: list, rename and delete. Each acts only on the caller's rows.</summary>
internal static class PasskeyManagementEndpoints
{
    public static IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Get("/passkey/list-user-passkeys", ListAsync) with
        {
            Session = SessionRequirement.Required,
            OperationId = "passkeyListUserPasskeys",
            Description = "List all passkeys for the authenticated user",
            Response = Returns("Passkeys retrieved successfully", ApiSchema.ArrayOf(ApiSchema.Ref("Passkey"))),
        },
        AuthEndpoint.Post("/passkey/delete-passkey", DeleteAsync) with
        {
            Session = SessionRequirement.Required,
            OperationId = "passkeyDeletePasskey",
            Description = "Delete a specific passkey",
            Body = [Str("id", "The id of the passkey").Required()],
            Response = Returns("Passkey deleted successfully", ApiSchema.Null),
        },
        AuthEndpoint.Post("/passkey/update-passkey", UpdateAsync) with
        {
            Session = SessionRequirement.Required,
            OperationId = "passkeyUpdatePasskey",
            Description = "Update a specific passkey's name",
            Body = [Str("id", "The id of the passkey").Required(), Str("name", "The new name of the passkey").Required()],
            Response = Returns("Passkey updated successfully", Model("passkey", "Passkey").Required()),
        },
    ];

    private static async ValueTask<AuthResult> ListAsync(AuthContext ctx)
    {
        var session = await ctx.RequireSessionAsync();
        var passkeys = await PasskeyStore.ListAsync(ctx.Db, session.User.Id, ctx.Http.RequestAborted);
        return AuthResult.Json(passkeys.Select(PasskeyView.From).ToList());
    }

    /// <summary>
    /// Deletes one of the caller's passkeys and answers <c>null</c>, as Better Auth does (also for an unknown id).
    /// Better Auth 1.2.12 deletes any user's passkey by id; another user's passkey is refused here with the answer
    /// update-passkey gives for it (401), and nothing is deleted.
    /// </summary>
    private static async ValueTask<AuthResult> DeleteAsync(AuthContext ctx)
    {
        var body = ctx.ReadBody(PasskeyJsonContext.Default.PasskeyIdRequest);
        var session = await ctx.RequireSessionAsync();
        var ct = ctx.Http.RequestAborted;
        if (!await PasskeyStore.DeleteAsync(ctx.Db, session.User.Id, body.Id, ct) && await PasskeyStore.FindAsync(ctx.Db, body.Id, ct) is not null)
            throw AuthError.Unauthorized(PasskeyErrors.YouAreNotAllowedToRegisterThisPasskey);
        return AuthResult.Null;
    }

    /// <summary>Renames one of the caller's passkeys: 404 for an unknown id, 401 for another user's (Better Auth's answers).</summary>
    private static async ValueTask<AuthResult> UpdateAsync(AuthContext ctx)
    {
        var body = ctx.ReadBody(PasskeyJsonContext.Default.UpdatePasskeyRequest);
        var session = await ctx.RequireSessionAsync();
        var ct = ctx.Http.RequestAborted;
        var renamed = await PasskeyStore.RenameAsync(ctx.Db, session.User.Id, body.Id, body.Name, ct);
        if (renamed is not null) return AuthResult.Json(new UpdatePasskeyResponse(PasskeyView.From(renamed)));
        throw await PasskeyStore.FindAsync(ctx.Db, body.Id, ct) is null
            ? AuthError.NotFound(PasskeyErrors.PasskeyNotFound)
            : AuthError.Unauthorized(PasskeyErrors.YouAreNotAllowedToRegisterThisPasskey);
    }
}
