using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// Better Auth's server-only operations, <c>verifyApiKey</c> and <c>deleteAllExpiredApiKeys</c>: callable through
/// <c>BetterAuthApi</c> (server code), answered 404 with an empty body to clients, as Better Auth's router does not
/// route them. Left out of the OpenAPI document, as Better Auth leaves them out.
/// </summary>
internal sealed class ApiKeyServerEndpoints(ApiKeyVerifier verifier)
{
    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Post("/api-key/verify", VerifyAsync) with
        {
            OperationId = "verifyApiKey", Undocumented = true,
            Body = [Str("key").Required(), Field("permissions", ApiSchema.MapOf(ApiSchema.Strings))],
        },
        AuthEndpoint.Post("/api-key/delete-all-expired-api-keys", DeleteExpiredAsync) with
        {
            OperationId = "deleteAllExpiredApiKeys", Undocumented = true,
        },
    ];

    /// <summary><c>{valid, error, key}</c>: checks a key (and that it grants the permissions named), counting the use.</summary>
    private async ValueTask<AuthResult> VerifyAsync(AuthContext ctx)
    {
        if (!ctx.IsServerCall) throw new AuthError(404);
        var input = new ApiKeyInput(ctx.BodyObject());
        var key = input.String("key") ?? throw AuthError.InvalidBody();
        var permissions = input.Permissions("permissions");
        var (row, refusal) = await verifier.VerifyAsync(ctx, key, permissions);
        if (row is not null) return AuthResult.Json(new ApiKeyVerifyResponse(true, null, ApiKeyJson.View(row)));
        // Better Auth reports a too-short key with the code KEY_NOT_FOUND on this path.
        var code = refusal!.Status == 403 ? "KEY_NOT_FOUND" : refusal.Code;
        return AuthResult.Json(new ApiKeyVerifyResponse(false, new ApiKeyVerifyError(refusal.Message, code), null));
    }

    private async ValueTask<AuthResult> DeleteExpiredAsync(AuthContext ctx)
    {
        if (!ctx.IsServerCall) throw new AuthError(404);
        await verifier.SweepExpiredAsync(ctx, force: true);
        return AuthResult.Json(new ApiKeyDeletedExpiredResponse(true, null));
    }
}
