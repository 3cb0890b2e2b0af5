using System.Text.Json;
using System.Text.Json.Nodes;
using BetterAuth.Core.Crypto;
using BetterAuth.Plugins.Jwt;
using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Tests.Plugins.Jwt.JwtTestKit;

namespace BetterAuth.Tests.Plugins.Jwt;

public class JwtKeyTests
{
    private static Task<List<JwksRow>> RowsAsync(AuthTestHost host) =>
        host.WithDbAsync(db => db.Set<JwksRow>().AsNoTracking().OrderBy(r => r.CreatedAt).ToListAsync());

    [Fact]
    public async Task FirstJwks_MakesOneKey_StoredWithAlg_AndListsItWithItsKid()
    {
        await using var host = await StartAsync();
        var client = host.Client();
        var first = await JwksAsync(client);
        var row = Assert.Single(await RowsAsync(host));
        var key = Assert.Single(first)!.AsObject();
        Assert.Equal(row.Id, key["kid"]!.GetValue<string>());
        Assert.Equal("{\"alg\":\"EdDSA\",\"crv\":\"Ed25519\",\"x\":\"" + key["x"]!.GetValue<string>() + "\",\"kty\":\"OKP\"}", row.PublicKey);
        Assert.Equal(first.ToJsonString(), (await JwksAsync(client)).ToJsonString());
        Assert.Single(await RowsAsync(host));
    }

    [Fact]
    public async Task KeyMadeForSigning_IsStoredWithoutAlg_AsBetterAuthStoresIt()
    {
        await using var host = await StartAsync();
        var (client, _) = await SignedUpAsync(host, "noalg@example.com");
        await TokenAsync(client);
        var row = Assert.Single(await RowsAsync(host));
        Assert.DoesNotContain("\"alg\"", row.PublicKey);
        Assert.Null(Assert.Single(await JwksAsync(client))!["alg"]);
    }

    [Fact]
    public async Task PrivateKey_IsEncryptedWithTheSecret_AsAJsonStringOfHex()
    {
        await using var host = await StartAsync();
        await JwksAsync(host.Client());
        var row = Assert.Single(await RowsAsync(host));
        var hex = JsonSerializer.Deserialize<string>(row.PrivateKey)!;
        Assert.Matches("^[0-9a-f]+$", hex);
        var jwk = JsonNode.Parse(SymmetricCipher.TryDecrypt(SecretKeyring.Single(AuthTestHost.Secret), hex)!)!.AsObject();
        Assert.Equal(["crv", "d", "x", "kty"], jwk.Select(p => p.Key).ToArray());
        Assert.Equal(JsonNode.Parse(row.PublicKey)!["x"]!.GetValue<string>(), jwk["x"]!.GetValue<string>());
    }

    [Fact]
    public async Task DisablePrivateKeyEncryption_StoresThePlainJwk()
    {
        await using var host = await StartAsync(o => o.Jwks.DisablePrivateKeyEncryption = true);
        await JwksAsync(host.Client());
        var jwk = JsonNode.Parse(Assert.Single(await RowsAsync(host)).PrivateKey)!.AsObject();
        Assert.Equal("OKP", jwk["kty"]!.GetValue<string>());
        Assert.NotNull(jwk["d"]);
    }

    [Fact]
    public async Task AKeyTheReferenceMade_SignsOurTokens_AndItsTokensCheckAgainstOurJwks()
    {
        await using var host = await StartAsync();
        await host.WithDbAsync(async db => { db.Set<JwksRow>().Add(ReferenceJwks.Row()); return await db.SaveChangesAsync(); });
        var (client, userId) = await SignedUpAsync(host, "reference-key@example.com");
        var token = await TokenAsync(client);
        Assert.Equal(ReferenceJwks.Id, Header(token)["kid"]!.GetValue<string>());
        var listed = Assert.Single(await JwksAsync(client))!.AsObject();
        Assert.True(VerifiesWithEd25519(token, listed));
        Assert.True(VerifiesWithEd25519(ReferenceJwks.Token, listed), "the reference's own token checks against our /jwks");
        Assert.Equal(userId, Claims(token)["sub"]!.GetValue<string>());
    }

    [Fact]
    public async Task AKeyOfAnotherSecret_FailsToken_ButGetSessionStillAnswersWithoutTheHeader()
    {
        await using var host = await StartAsync(auth: o => o.Secret = "another-secret-0123456789abcdef0123456789ab");
        await host.WithDbAsync(async db => { db.Set<JwksRow>().Add(ReferenceJwks.Row()); return await db.SaveChangesAsync(); });
        var (client, _) = await SignedUpAsync(host, "wrong-secret@example.com");
        Assert.Equal(500, (await client.GetAsync("/token")).Status);
        var session = await client.GetAsync("/get-session");
        Assert.Equal(200, session.Status);
        Assert.NotEqual("null", session.Text);
        Assert.Null(session.Header("set-auth-jwt"));
        Assert.Single(await RowsAsync(host)); // no key replaced it behind the operator's back
    }

    [Fact]
    public async Task ConcurrentFirstRequests_MakeOneKey()
    {
        await using var host = await StartAsync();
        var (client, _) = await SignedUpAsync(host, "race@example.com");
        var tokens = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => i % 2 == 0 ? TokenAsync(client) : JwksAsync(client).ContinueWith(_ => "")));
        var row = Assert.Single(await RowsAsync(host));
        Assert.All(tokens.Where(t => t.Length > 0), t => Assert.Equal(row.Id, Header(t)["kid"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Rotation_MakesANewKeyAfterTheInterval_AndListsTheOldOneUntilTheGracePeriodEnds()
    {
        await using var host = await StartAsync(o => { o.Jwks.RotationInterval = 3600; o.Jwks.GracePeriod = 7200; });
        var (client, _) = await SignedUpAsync(host, "rotation@example.com");
        var first = Header(await TokenAsync(client))["kid"]!.GetValue<string>();
        host.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(first, Header(await TokenAsync(client))["kid"]!.GetValue<string>());

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        var rotated = await TokenAsync(client);
        var second = Header(rotated)["kid"]!.GetValue<string>();
        Assert.NotEqual(first, second);
        Assert.Equal([first, second], (await JwksAsync(client)).Select(k => k!["kid"]!.GetValue<string>()));
        Assert.True(VerifiesWithEd25519(rotated, await KeyOfAsync(client, rotated)));

        // The old key stopped signing 1 h after it was made and stays listed until interval + grace (3 h) after it was made.
        host.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal([second], (await JwksAsync(client)).Select(k => k!["kid"]!.GetValue<string>()));
        Assert.Equal(2, (await RowsAsync(host)).Count);
    }

    [Fact]
    public async Task AnotherAlgorithmConfigured_MakesAKeyOfThatAlgorithm()
    {
        await using var host = await StartAsync(o => o.Jwks.KeyPairConfig.Alg = "ES256");
        await host.WithDbAsync(async db => { db.Set<JwksRow>().Add(ReferenceJwks.Row()); return await db.SaveChangesAsync(); });
        var (client, _) = await SignedUpAsync(host, "es256@example.com");
        var header = Header(await TokenAsync(client));
        Assert.Equal("ES256", header["alg"]!.GetValue<string>());
        Assert.NotEqual(ReferenceJwks.Id, header["kid"]!.GetValue<string>());
        Assert.Equal(2, (await RowsAsync(host)).Count);
    }
}
