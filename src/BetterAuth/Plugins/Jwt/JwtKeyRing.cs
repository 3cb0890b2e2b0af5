using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.Jwt;

/// <summary>
/// The signing keys in the <c>jwks</c> table: which one signs (the newest, as Better Auth picks it), which ones
/// <c>/jwks</c> lists, and making a new one when there is none, when the newest has been rotated out, or when it is of
/// another algorithm than the one configured. A new key is made inside a write transaction that first looks again, so
/// concurrent requests (on one instance or several sharing the database) make one key, not one each. Opened private
/// keys are kept in memory by row id, so the ciphertext is decrypted once per key and process.
/// </summary>
internal sealed class JwtKeyRing(JwtOptions options)
{
    private readonly ConcurrentDictionary<string, (string Stored, JwtSigningKey Key)> _opened = new(StringComparer.Ordinal);

    /// <summary>The lock making a new key (<see cref="StorageLocks"/>): one key ring per database.</summary>
    private const string KeyRingLock = "jwks";

    private string Algorithm => options.Jwks.KeyPairConfig.Alg;

    /// <summary>The key that signs now, with its row (its id is the token's <c>kid</c>).</summary>
    public async Task<(JwksRow Row, JwtSigningKey Key)> SigningKeyAsync(AuthContext ctx)
    {
        var now = ctx.Auth.Now;
        if (await LatestAsync(ctx) is { } latest && !IsRetired(latest, now) && Open(ctx, latest) is { } key) return (latest, key);

        // Guarantee: concurrent requests (on any instance) make one key: the look again and the insert hold the key
        // ring's lock.
        await using var tx = await ctx.Db.Database.BeginTransactionAsync(ctx.Http.RequestAborted);
        await ctx.Db.LockAsync(KeyRingLock, ctx.Http.RequestAborted);
        if (await LatestAsync(ctx) is { } again && !IsRetired(again, now) && Open(ctx, again) is { } raced)
        {
            await tx.CommitAsync(ctx.Http.RequestAborted);
            return (again, raced);
        }
        // Keys made for signing are stored without "alg" in the public JWK, as Better Auth 1.2.12 stores them.
        var (row, fresh) = await AddKeyAsync(ctx, publicKeyWithAlg: false);
        await tx.CommitAsync(ctx.Http.RequestAborted);
        _opened[row.Id] = (row.PrivateKey, fresh);
        return (row, fresh);
    }

    /// <summary>
    /// The public keys <c>/jwks</c> lists, oldest first: every key, or with rotation on, those made less than
    /// interval + grace period ago and always the newest. An empty table first gets a key (public JWK stored with "alg").
    /// </summary>
    public async Task<IReadOnlyList<JwksRow>> PublishedKeysAsync(AuthContext ctx)
    {
        var rows = await AllAsync(ctx);
        if (rows.Count == 0)
        {
            await using var tx = await ctx.Db.Database.BeginTransactionAsync(ctx.Http.RequestAborted);
            await ctx.Db.LockAsync(KeyRingLock, ctx.Http.RequestAborted);
            rows = await AllAsync(ctx);
            if (rows.Count == 0)
            {
                var (row, fresh) = await AddKeyAsync(ctx, publicKeyWithAlg: true);
                _opened[row.Id] = (row.PrivateKey, fresh);
                rows = [row];
            }
            await tx.CommitAsync(ctx.Http.RequestAborted);
        }
        if (options.Jwks.RotationInterval is not { } interval) return rows;
        var newest = rows.MaxBy(r => r.CreatedAt);
        var cutoff = ctx.Auth.Now.AddSeconds(-(double)interval - options.Jwks.GracePeriod);
        return rows.Where(r => ReferenceEquals(r, newest) || r.CreatedAt > cutoff).ToList();
    }

    private bool IsRetired(JwksRow row, DateTime now) =>
        options.Jwks.RotationInterval is { } interval && row.CreatedAt.AddSeconds(interval) <= now;

    private static Task<JwksRow?> LatestAsync(AuthContext ctx) =>
        ctx.Db.Set<JwksRow>().AsNoTracking().OrderByDescending(r => r.CreatedAt).FirstOrDefaultAsync(ctx.Http.RequestAborted);

    private static async Task<List<JwksRow>> AllAsync(AuthContext ctx) =>
        await ctx.Db.Set<JwksRow>().AsNoTracking().OrderBy(r => r.CreatedAt).ToListAsync(ctx.Http.RequestAborted);

    private async Task<(JwksRow Row, JwtSigningKey Key)> AddKeyAsync(AuthContext ctx, bool publicKeyWithAlg)
    {
        var key = JwtSigningKey.Generate(options.Jwks.KeyPairConfig);
        var publicJwk = key.PublicJwk();
        if (publicKeyWithAlg)
        {
            var withAlg = new JsonObject { ["alg"] = Algorithm };
            foreach (var (name, value) in publicJwk) withAlg[name] = value?.DeepClone();
            publicJwk = withAlg;
        }
        var privateJwk = key.PrivateJwk().ToJsonString();
        var row = new JwksRow
        {
            Id = RandomStrings.Id(),
            PublicKey = publicJwk.ToJsonString(),
            PrivateKey = options.Jwks.DisablePrivateKeyEncryption
                ? privateJwk
                : JsonSerializer.Serialize(SymmetricCipher.Encrypt(ctx.Auth.Secrets, privateJwk), JwtJsonContext.Default.String),
            CreatedAt = ctx.Auth.Now,
        };
        ctx.Db.Set<JwksRow>().Add(row);
        await ctx.Db.SaveChangesAsync(ctx.Http.RequestAborted);
        ctx.Db.Entry(row).State = EntityState.Detached;
        return (row, key);
    }

    /// <summary>
    /// The row's private key, opened; null when it is not a key of the configured algorithm (a new one is then made).
    /// A key no configured secret decrypts is a configuration error (another secret wrote it), not a reason to replace it.
    /// Keys made under an older secret still listed in <c>Secrets</c> open; <c>rotate-secrets</c> moves them to the current one.
    /// </summary>
    private JwtSigningKey? Open(AuthContext ctx, JwksRow row)
    {
        if (_opened.TryGetValue(row.Id, out var cached) && cached.Stored == row.PrivateKey) return cached.Key;
        var jwk = ReadPrivateJwk(ctx.Auth.Secrets, row);
        var key = JwtSigningKey.Import(jwk, Algorithm);
        if (key is not null) _opened[row.Id] = (row.PrivateKey, key);
        return key;
    }

    /// <summary>
    /// The stored private JWK: a JSON string holds the encrypted form (hex), a JSON object the plain one
    /// (<c>DisablePrivateKeyEncryption</c>); either is read whatever the current setting, as rows may predate it.
    /// </summary>
    private static JsonObject ReadPrivateJwk(SecretKeyring secrets, JwksRow row)
    {
        JsonNode? stored;
        try { stored = JsonNode.Parse(row.PrivateKey); }
        catch (JsonException) { throw Unreadable(row); }
        if (stored is JsonObject plain) return plain;
        if (stored is JsonValue value && value.TryGetValue<string>(out var hex))
        {
            var json = SymmetricCipher.TryDecrypt(secrets, hex) ?? throw new InvalidOperationException(
                $"JWT plugin: the private key of jwks row {row.Id} cannot be decrypted with any configured secret. Keys are " +
                "encrypted with the secret that made them: list that secret again (BETTER_AUTH_SECRETS), or delete the jwks rows to start new keys.");
            try { if (JsonNode.Parse(json) is JsonObject jwk) return jwk; }
            catch (JsonException) { }
        }
        throw Unreadable(row);
    }

    private static InvalidOperationException Unreadable(JwksRow row) =>
        new($"JWT plugin: the private key of jwks row {row.Id} is not a JSON Web Key.");
}
