using System.Text.Json;
using System.Text.Json.Nodes;
using BetterAuth.Core.Http;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Jwt;

/// <summary><c>GET /jwks</c>, <c>GET /token</c>, and the <c>set-auth-jwt</c> header on get-session.</summary>
internal sealed class JwtEndpoints(JwtOptions options, JwtKeyRing keys, JwtIssuer issuer)
{
    public IEnumerable<AuthEndpoint> All =>
    [
        AuthEndpoint.Get("/jwks", Jwks) with
        {
            OperationId = "getJwks", Summary = "Get the JSON Web Key Set",
            Response = Returns("JSON Web Key Set retrieved successfully", Field("keys", ApiSchema.ArrayOf(ApiSchema.ObjectOf(
                Str("kid", "Key ID uniquely identifying the key, corresponds to the 'id' from the stored Jwk").Required(),
                Str("kty", "Key type (e.g., 'RSA', 'EC', 'OKP')").Required(),
                Str("alg", "Algorithm intended for use with the key (e.g., 'EdDSA', 'RS256')").Required(),
                Str("crv", "Curve name for elliptic curve keys (e.g., 'Ed25519', 'P-256')").OrNull(),
                Str("x", "X coordinate for elliptic curve keys (base64url-encoded)").OrNull(),
                Str("y", "Y coordinate for elliptic curve keys (base64url-encoded)").OrNull(),
                Str("n", "Modulus for RSA keys (base64url-encoded)").OrNull(),
                Str("e", "Exponent for RSA keys (base64url-encoded)").OrNull())), "Array of public JSON Web Keys").Required()),
        },
        AuthEndpoint.Get("/token", Token) with
        {
            Session = SessionRequirement.Required, OperationId = "getJSONWebToken", Summary = "Get a JWT token",
            Response = Returns("Success", Str("token")),
        },
    ];

    /// <summary>GET /jwks: <c>{keys}</c>, each the stored public JWK with <c>kid</c> = the row id.</summary>
    private async ValueTask<AuthResult> Jwks(AuthContext ctx)
    {
        var published = new JsonArray();
        foreach (var row in await keys.PublishedKeysAsync(ctx))
        {
            JsonObject? jwk = null;
            try { jwk = JsonNode.Parse(row.PublicKey) as JsonObject; }
            catch (JsonException) { }
            if (jwk is null)
            {
                JwtLog.JwksRowUnreadable(ctx.Auth.Logger, row.Id);
                continue;
            }
            jwk["kid"] = row.Id;
            published.Add(jwk);
        }
        return AuthResult.Json(new JsonObject { ["keys"] = published });
    }

    /// <summary>GET /token: <c>{token}</c> for the request's session.</summary>
    private async ValueTask<AuthResult> Token(AuthContext ctx)
    {
        var session = await ctx.RequireSessionAsync();
        return AuthResult.Json(new JwtTokenResponse(await issuer.IssueAsync(ctx, session)));
    }

    public static bool IsGetSession(AuthContext ctx) => ctx.Path == "/get-session";

    /// <summary>
    /// After get-session: a token for the session answered, in <c>set-auth-jwt</c>, exposed to browsers through
    /// Access-Control-Expose-Headers. A key that cannot be opened is logged and the answer goes out without the header,
    /// where Better Auth would fail the whole get-session with a 500.
    /// </summary>
    public async ValueTask<AuthResult> AddHeaderAsync(AuthContext ctx, AuthResult result)
    {
        if (options.DisableSettingJwtHeader) return result;
        var session = await ctx.GetSessionAsync() ?? ctx.NewSession;
        if (session is null) return result;
        try
        {
            ctx.ResponseHeaders["set-auth-jwt"] = await issuer.IssueAsync(ctx, session);
        }
        catch (InvalidOperationException e)
        {
            JwtLog.SetAuthJwtFailed(ctx.Auth.Logger, e);
            return result;
        }
        var exposed = ctx.ResponseHeaders.TryGetValue("Access-Control-Expose-Headers", out var current)
            ? current.Split(',').Select(h => h.Trim()).Where(h => h.Length > 0).ToList()
            : [];
        if (!exposed.Contains("set-auth-jwt", StringComparer.OrdinalIgnoreCase)) exposed.Add("set-auth-jwt");
        ctx.ResponseHeaders["Access-Control-Expose-Headers"] = string.Join(", ", exposed);
        return result;
    }
}
