using System.Text.Json.Nodes;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.ApiKey;

/// <summary>
/// GET /api-key/get, GET /api-key/list, POST /api-key/delete: the caller's own keys, never their hashes. Each validates
/// its input before it requires the session, as Better Auth does (no id → 400, not 401).
/// </summary>
internal sealed class ApiKeyManageEndpoints(ApiKeyVerifier verifier)
{
    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Get("/api-key/get", GetAsync) with
        {
            OperationId = "getApiKey", Summary = "Retrieve an existing API key by ID",
            Query = [Str("id", "The id of the Api Key").Required()],
            Response = Returns("API key retrieved successfully", ApiKeyDocs.KeyFields(withKey: false)),
        },
        AuthEndpoint.Post("/api-key/delete", DeleteAsync) with
        {
            OperationId = "deleteApiKey", Summary = "Delete an existing API key",
            Body = [Str("keyId", "The id of the API key to delete").Required()],
            Response = Returns("API key deleted successfully", Bool("success", "Indicates if the API key was successfully deleted").Required()),
        },
        AuthEndpoint.Get("/api-key/list", ListAsync) with
        {
            OperationId = "listApiKeys", Summary = "List all API keys for the authenticated user",
            Response = Returns("API keys retrieved successfully", ApiSchema.ArrayOf(ApiSchema.ObjectOf(ApiKeyDocs.KeyFields(withKey: false)))),
        },
    ];

    private async ValueTask<AuthResult> GetAsync(AuthContext ctx)
    {
        var id = ctx.Query("id") ?? throw AuthError.InvalidQuery();
        var session = await ctx.RequireSessionAsync();
        var row = await ctx.Db.Set<ApiKeyRow>().AsNoTracking()
                      .FirstOrDefaultAsync(r => r.Id == id && r.UserId == session.User.Id, ctx.Http.RequestAborted)
                  ?? throw AuthError.NotFound(ApiKeyErrors.KeyNotFound);
        await verifier.SweepExpiredAsync(ctx);
        return AuthResult.Json(ApiKeyJson.View(row));
    }

    private async ValueTask<AuthResult> ListAsync(AuthContext ctx)
    {
        var session = await ctx.RequireSessionAsync();
        var rows = await ctx.Db.Set<ApiKeyRow>().AsNoTracking()
            .Where(r => r.UserId == session.User.Id).OrderBy(r => r.CreatedAt).ToListAsync(ctx.Http.RequestAborted);
        await verifier.SweepExpiredAsync(ctx);
        return AuthResult.Json(new JsonArray(rows.Select(r => (JsonNode)ApiKeyJson.View(r)).ToArray()));
    }

    private async ValueTask<AuthResult> DeleteAsync(AuthContext ctx)
    {
        var keyId = new ApiKeyInput(ctx.BodyObject()).String("keyId") ?? throw AuthError.InvalidBody();
        var session = await ctx.RequireSessionAsync();
        // The admin plugin's column, when present: Better Auth refuses a banned user here.
        if (session.User["banned"] is true) throw AuthError.Unauthorized(ApiKeyErrors.UserBanned);
        var deleted = await ctx.Db.Set<ApiKeyRow>()
            .Where(r => r.Id == keyId && r.UserId == session.User.Id).ExecuteDeleteAsync(ctx.Http.RequestAborted);
        if (deleted == 0) throw AuthError.NotFound(ApiKeyErrors.KeyNotFound);
        await verifier.SweepExpiredAsync(ctx);
        return AuthResult.Json(new ApiKeyDeleteResponse(true));
    }
}

/// <summary>The documented shape of a key in answers.</summary>
internal static class ApiKeyDocs
{
    public static ApiField[] KeyFields(bool withKey)
    {
        var fields = new List<ApiField>
        {
            Str("id", "ID").Required(), Str("name", "The name of the key").OrNull(),
            Str("start", "Shows the first few characters of the API key, including the prefix.").OrNull(),
            Str("prefix", "The API Key prefix. Stored as plain text.").OrNull(),
        };
        if (withKey) fields.Add(Str("key", "The full API key (only returned on creation)").Required());
        fields.AddRange(
        [
            Str("userId", "The owner of the user id").Required(),
            Num("refillInterval", "The interval in milliseconds between refills of the remaining count").OrNull(),
            Num("refillAmount", "The amount to refill").OrNull(), Date("lastRefillAt", "The last refill date").OrNull(),
            Bool("enabled", "Sets if key is enabled or disabled").Required(),
            Bool("rateLimitEnabled", "Whether the key has rate limiting enabled").Required(),
            Num("rateLimitTimeWindow", "The duration in milliseconds").OrNull(),
            Num("rateLimitMax", "Maximum amount of requests allowed within a window").OrNull(),
            Num("requestCount", "The number of requests made within the rate limit time window").Required(),
            Num("remaining", "Remaining requests (every time api key is used this should updated and should be updated on refill as well)").OrNull(),
            Date("lastRequest", "When last request occurred").OrNull(), Date("expiresAt", "Expiry date of a key").OrNull(),
            Date("createdAt", "created at").Required(), Date("updatedAt", "updated at").Required(),
            Field("metadata", ApiSchema.AnyObject.OrNull(), "Extra metadata about the apiKey"),
            Field("permissions", ApiSchema.MapOf(ApiSchema.Strings).OrNull(), "Permissions for the api key"),
        ]);
        return fields.ToArray();
    }
}
