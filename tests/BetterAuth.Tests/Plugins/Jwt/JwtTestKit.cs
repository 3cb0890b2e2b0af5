using System.Buffers.Text;
using System.Text;
using System.Text.Json.Nodes;
using BetterAuth.Plugins.Jwt;
using BetterAuth.Tests.Support;
using NSec.Cryptography;

namespace BetterAuth.Tests.Plugins.Jwt;

internal static class JwtTestKit
{
    public static Task<AuthTestHost> StartAsync(Action<JwtOptions>? configure = null, Action<BetterAuthOptions>? auth = null)
    {
        var options = new JwtOptions();
        configure?.Invoke(options);
        return AuthTestHost.StartAsync(o => { o.Plugins.Add(new JwtPlugin(options)); auth?.Invoke(o); });
    }

    public static async Task<(TestClient Client, string UserId)> SignedUpAsync(AuthTestHost host, string email)
    {
        var client = host.Client();
        var id = (await client.SignUpAsync(email))["user"]!["id"]!.GetValue<string>();
        return (client, id);
    }

    public static async Task<string> TokenAsync(TestClient client)
    {
        var r = await client.GetAsync("/token");
        Assert.Equal(200, r.Status);
        return r.Json!["token"]!.GetValue<string>();
    }

    public static JsonObject Segment(string jwt, int index) =>
        JsonNode.Parse(Base64Url.DecodeFromChars(jwt.Split('.')[index]))!.AsObject();

    public static JsonObject Header(string jwt) => Segment(jwt, 0);
    public static JsonObject Claims(string jwt) => Segment(jwt, 1);

    /// <summary>Checks an EdDSA token's signature with NSec against an Ed25519 public JWK (independently of the plugin).</summary>
    public static bool VerifiesWithEd25519(string jwt, JsonObject jwk)
    {
        var parts = jwt.Split('.');
        var publicKey = PublicKey.Import(SignatureAlgorithm.Ed25519, Base64Url.DecodeFromChars(jwk["x"]!.GetValue<string>()), KeyBlobFormat.RawPublicKey);
        return SignatureAlgorithm.Ed25519.Verify(publicKey, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]));
    }

    public static async Task<JsonArray> JwksAsync(TestClient client)
    {
        var r = await client.GetAsync("/jwks");
        Assert.Equal(200, r.Status);
        return r.Json!["keys"]!.AsArray();
    }

    public static async Task<JsonObject> KeyOfAsync(TestClient client, string jwt)
    {
        var kid = Header(jwt)["kid"]!.GetValue<string>();
        return (await JwksAsync(client)).Single(k => k!["kid"]!.GetValue<string>() == kid)!.AsObject();
    }
}

/// <summary>
/// Rows the reference (Better Auth 1.2.12, REF_EXTRA_PLUGINS=jwt,apiKey) wrote with <see cref="AuthTestHost.Secret"/> as its
/// secret: its first key (made by GET /token, so no "alg" in the public JWK) and a token it signed with it.
/// </summary>
internal static class ReferenceJwks
{
    public const string Id = "ol7OhRYZt5YNAANLu39key4tDxuLP73S";
    public const string PublicKey = "{\"crv\":\"Ed25519\",\"x\":\"cfXbOVOHfFObjg8YPKOXCNLJ0qHfE7pT55qCVs6tN64\",\"kty\":\"OKP\"}";
    public const string PrivateKey = "\"86e6d4db3f1eeb8279598da3b01c88a1f92e3610fbebfd29653a05c909bbf96f508022d0db67ee81e45cf057f5384df3552a3a4be451fef6946ef828271aea8d2b228551439b46dc194377f04a47361b0c0f3857a2e397c37ab5afa35800e3399a138cc20b063916e3fd713e54048a544ed72f1f35cd2526db05d50c04508c532bfe69211e5edd01d9923b7707ddc9769238346a52c7b6d8e6668d48833834f871bc90dde824e99427\"";
    public static readonly DateTime CreatedAt = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public const string Token = "eyJhbGciOiJFZERTQSIsImtpZCI6Im9sN09oUlladDVZTkFBTkx1MzlrZXk0dER4dUxQNzNTIn0.eyJuYW1lIjoiRml4dHVyZSIsImVtYWlsIjoiZml4dHVyZUBleGFtcGxlLmNvbSIsImVtYWlsVmVyaWZpZWQiOmZhbHNlLCJpbWFnZSI6bnVsbCwiY3JlYXRlZEF0IjoiMjAyNi0xMi0wNFQxOTo0OToxMC44NzNaIiwidXBkYXRlZEF0IjoiMjAyNi0xMi0wNFQxOTo0OToxMC44NzNaIiwidHdvRmFjdG9yRW5hYmxlZCI6bnVsbCwidXNlcm5hbWUiOm51bGwsImRpc3BsYXlVc2VybmFtZSI6bnVsbCwiaXNBbm9ueW1vdXMiOm51bGwsInBob25lTnVtYmVyIjpudWxsLCJwaG9uZU51bWJlclZlcmlmaWVkIjpudWxsLCJyb2xlIjoidXNlciIsImJhbm5lZCI6bnVsbCwiYmFuUmVhc29uIjpudWxsLCJiYW5FeHBpcmVzIjpudWxsLCJpZCI6IkVmRlV3Q0hzUmhZMjhKRUJPUzJLc3NmZWdRY3JJWnJ3IiwiaWF0IjoxNzk2NDEzNzUxLCJpc3MiOiJodHRwOi8vMTI3LjAuMC4xOjQ3NDk5IiwiYXVkIjoiaHR0cDovLzEyNy4wLjAuMTo0NzQ5OSIsImV4cCI6MTc5NjQxNDY1MSwic3ViIjoiRWZGVXdDSHNSaFkyOEpFQk9TMktzc2ZlZ1FjcklacncifQ.yOvVcAMAzp0q0g3ADJzrU6O52VUeo4bx_pwO1PpvXjPDKJXgbyaVeEnLdvjBtoMdz6Pa4-S_6xk3HL-P49gjAQ";

    public static JwksRow Row() => new() { Id = Id, PublicKey = PublicKey, PrivateKey = PrivateKey, CreatedAt = CreatedAt };
}
