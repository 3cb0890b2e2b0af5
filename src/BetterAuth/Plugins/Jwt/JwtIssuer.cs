using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Jwt;

/// <summary>
/// Makes the tokens of <c>/token</c> and the <c>set-auth-jwt</c> header as Better Auth's <c>getJwtToken</c> does: header
/// <c>{"alg","kid"}</c>, the user as get-session answers it as the claims, then <c>iat</c>, <c>iss</c>, <c>aud</c>,
/// <c>exp</c> and <c>sub</c> (the user id), signed with the newest key.
/// </summary>
internal sealed class JwtIssuer(JwtOptions options, JwtKeyRing keys)
{
    private static readonly JsonWriterOptions JsJson = new() { Encoder = JsStringEncoder.Instance };

    private readonly long _lifetimeSeconds = JwtTimeSpan.TryParseSeconds(options.Jwt.ExpirationTime, out var s) ? s : 900;

    public async Task<string> IssueAsync(AuthContext ctx, SessionWithUser session)
    {
        var (row, key) = await keys.SigningKeyAsync(ctx);
        var payload = options.Jwt.DefinePayload?.Invoke(session) ?? UserClaims(ctx, session.User);
        var now = ctx.Auth.Time.GetUtcNow().ToUnixTimeSeconds();
        var origin = string.IsNullOrEmpty(ctx.Auth.Options.BaseUrl) ? ctx.RequestOrigin : ctx.Auth.Options.BaseUrl;
        payload["iat"] = now;
        payload["iss"] = options.Jwt.Issuer ?? origin;
        payload["aud"] = options.Jwt.Audience ?? origin;
        payload["exp"] = now + _lifetimeSeconds;
        payload["sub"] = options.Jwt.GetSubject?.Invoke(session) ?? session.User.Id;

        var header = new JsonObject { ["alg"] = key.Algorithm, ["kid"] = row.Id };
        var signingInput = Segment(header) + "." + Segment(payload);
        var signature = key.Sign(System.Text.Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The user's fields as get-session writes them (plugin columns included, hidden ones left out).</summary>
    private static JsonObject UserClaims(AuthContext ctx, User user)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsJson)) ctx.Auth.Rows.WriteUser(writer, user);
        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    private static string Segment(JsonObject json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, JsJson)) json.WriteTo(writer);
        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }
}
