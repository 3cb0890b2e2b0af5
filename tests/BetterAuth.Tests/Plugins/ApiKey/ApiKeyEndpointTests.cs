using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BetterAuth.Plugins.ApiKey;
using static BetterAuth.Tests.Plugins.ApiKey.ApiKeyTestKit;

namespace BetterAuth.Tests.Plugins.ApiKey;

public class ApiKeyEndpointTests
{
    private const string ServerOnly = "THE_PROPERTY_YOURE_TRYING_TO_SET_CAN_ONLY_BE_SET_FROM_THE_SERVER_AUTH_INSTANCE_ONLY";

    [Fact]
    public async Task Create_AnswersTheKeyOnce_AndStoresOnlyItsSha256()
    {
        await using var host = await StartAsync();
        var (client, userId) = await SignedUpAsync(host, "create@example.com");
        var created = await CreateAsync(client, new { name = "ci", prefix = "ci_", expiresIn = 86400 * 2 });
        var key = created["key"]!.GetValue<string>();
        Assert.Matches("^ci_[A-Za-z]{64}$", key);
        Assert.Equal(key[..6], created["start"]!.GetValue<string>());
        Assert.Equal(userId, created["userId"]!.GetValue<string>());
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddDays(2), DateTime.Parse(created["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUniversalTime());
        // Better Auth's key order, the key after the prefix and the id last.
        Assert.Equal(["name", "start", "prefix", "key", "userId", "refillInterval", "refillAmount", "lastRefillAt", "enabled",
            "rateLimitEnabled", "rateLimitTimeWindow", "rateLimitMax", "requestCount", "remaining", "lastRequest", "expiresAt",
            "createdAt", "updatedAt", "permissions", "metadata", "id"], created.Select(p => p.Key).ToArray());

        var row = await RowAsync(host, created["id"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key))).TrimEnd('=').Replace('+', '-').Replace('/', '_'), row.Key);
        Assert.Equal("null", row.Metadata);

        var listed = (await client.GetAsync("/api-key/list")).Json!.AsArray();
        var got = (await client.GetAsync($"/api-key/get?id={row.Id}")).Json!;
        foreach (var answer in new[] { listed.Single()!.ToJsonString(), got.ToJsonString() })
        {
            Assert.DoesNotContain(key, answer);
            Assert.DoesNotContain(row.Key, answer);
            Assert.DoesNotContain("\"key\"", answer);
        }
    }

    [Fact]
    public async Task ClientRequests_CannotNameAUser_OrSetServerOnlyFields()
    {
        await using var host = await StartAsync();
        var (client, _) = await SignedUpAsync(host, "client@example.com");
        var (_, victimId) = await SignedUpAsync(host, "victim@example.com");

        var noSession = await host.Client().PostAsync("/api-key/create", new { userId = victimId, remaining = 5 });
        Assert.Equal(401, noSession.Status);
        Assert.Equal("UNAUTHORIZED_OR_INVALID_SESSION", noSession.Code);
        Assert.Equal(401, (await client.PostAsync("/api-key/create", new { userId = victimId })).Status);
        Assert.Equal(401, (await client.PostAsync("/api-key/create", new { userId = "no-such-user" })).Status);
        foreach (var body in new object[] { new { remaining = 5 }, new { permissions = new { files = new[] { "read" } } },
                     new { rateLimitMax = 1000 }, new { rateLimitEnabled = false }, new { refillAmount = 1, refillInterval = 1000 } })
        {
            var r = await client.PostAsync("/api-key/create", body);
            Assert.Equal(400, r.Status);
            Assert.Equal(ServerOnly, r.Code);
        }
        Assert.Equal(0, await CountAsync(host));

        var own = await CreateAsync(client);
        var update = await host.Client().PostAsync("/api-key/update", new { keyId = own["id"]!.GetValue<string>(), userId = victimId, remaining = 100 });
        Assert.Equal(401, update.Status);
        Assert.Equal(ServerOnly, (await client.PostAsync("/api-key/update", new { keyId = own["id"]!.GetValue<string>(), remaining = 100 })).Code);
    }

    [Fact]
    public async Task Keys_AreOnlyTheirOwnersToSee_Change_AndDelete()
    {
        await using var host = await StartAsync();
        var (owner, _) = await SignedUpAsync(host, "owner@example.com");
        var (other, _) = await SignedUpAsync(host, "other@example.com");
        var id = (await CreateAsync(owner))["id"]!.GetValue<string>();
        Assert.Equal(404, (await other.GetAsync($"/api-key/get?id={id}")).Status);
        Assert.Empty((await other.GetAsync("/api-key/list")).Json!.AsArray());
        Assert.Equal(404, (await other.PostAsync("/api-key/update", new { keyId = id, name = "stolen" })).Status);
        Assert.Equal(404, (await other.PostAsync("/api-key/delete", new { keyId = id })).Status);
        Assert.Equal(1, await CountAsync(host));
        Assert.Equal(200, (await owner.PostAsync("/api-key/delete", new { keyId = id })).Status);
        Assert.Equal(0, await CountAsync(host));
    }

    [Fact]
    public async Task Update_CountsAUseOfRemaining_NeverBelowZero_AndSetsUpdatedAt()
    {
        await using var host = await StartAsync();
        var (client, userId) = await SignedUpAsync(host, "update@example.com");
        var created = await Api(host).CreateApiKeyAsync(userId, new JsonObject { ["remaining"] = 1 });
        var id = created["id"]!.GetValue<string>();
        host.Clock.Advance(TimeSpan.FromMinutes(5));
        var first = (await client.PostAsync("/api-key/update", new { keyId = id, name = "one" })).Json!;
        Assert.Equal(0, first["remaining"]!.GetValue<long>());
        Assert.NotEqual(first["createdAt"]!.GetValue<string>(), first["updatedAt"]!.GetValue<string>());
        Assert.NotNull(first["lastRequest"]);
        // Better Auth would write -1 here, and a negative count never reaches its "0 left" check: an unlimited key.
        var second = (await client.PostAsync("/api-key/update", new { keyId = id, name = "two" })).Json!;
        Assert.Equal(0, second["remaining"]!.GetValue<long>());
    }

    [Fact]
    public async Task Metadata_WhenEnabled_IsStoredEncodedTwiceAsBetterAuthDoes_AndReadBackEitherWay()
    {
        await using var host = await StartAsync(o => o.EnableMetadata = true);
        var (client, _) = await SignedUpAsync(host, "metadata@example.com");
        var created = await CreateAsync(client, new { name = "m", metadata = new { plan = "pro", seats = 3 } });
        Assert.Equal("{\"plan\":\"pro\",\"seats\":3}", created["metadata"]!.ToJsonString());
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("\"{\\\"plan\\\":\\\"pro\\\",\\\"seats\\\":3}\"", (await RowAsync(host, id)).Metadata);
        Assert.Equal("pro", (await client.GetAsync($"/api-key/get?id={id}")).Json!["metadata"]!["plan"]!.GetValue<string>());

        Assert.Equal(400, (await client.PostAsync("/api-key/update", new { keyId = id, metadata = "text" })).Status);
        var cleared = await client.PostAsync("/api-key/update", new { keyId = id, metadata = (object?)null });
        Assert.Null(cleared.Json!["metadata"]);
        // A row written once-encoded (another writer) reads the same.
        Assert.Equal("{\"a\":1}", ApiKeyJson.ParseMetadata("{\"a\":1}")!.ToJsonString());
        Assert.Equal("{\"a\":1}", ApiKeyJson.ParseMetadata("\"{\\\"a\\\":1}\"")!.ToJsonString());
    }

    [Fact]
    public async Task Metadata_WhileDisabled_IsRefusedOnUpdateToo()
    {
        await using var host = await StartAsync();
        var (client, _) = await SignedUpAsync(host, "nometa@example.com");
        var id = (await CreateAsync(client))["id"]!.GetValue<string>();
        Assert.Equal("METADATA_IS_DISABLED", (await client.PostAsync("/api-key/create", new { metadata = new { a = 1 } })).Code);
        Assert.Equal("METADATA_IS_DISABLED", (await client.PostAsync("/api-key/update", new { keyId = id, metadata = new { a = 1 } })).Code);
        Assert.Equal("null", (await RowAsync(host, id)).Metadata);
    }

    [Fact]
    public async Task DefaultOptions_PrefixPermissionsExpiryAndStart_ApplyToNewKeys()
    {
        await using var host = await StartAsync(o =>
        {
            o.DefaultPrefix = "ba_";
            o.DefaultKeyLength = 40;
            o.StartingCharactersConfig.CharactersLength = 8;
            o.KeyExpiration.DefaultExpiresIn = 3600;
            o.Permissions.DefaultPermissions = new() { ["files"] = ["read"] };
            o.RateLimit.MaxRequests = 50;
        });
        var (client, _) = await SignedUpAsync(host, "defaults@example.com");
        var created = await CreateAsync(client);
        var key = created["key"]!.GetValue<string>();
        Assert.Matches("^ba_[A-Za-z]{40}$", key);
        Assert.Equal(key[..8], created["start"]!.GetValue<string>());
        Assert.Equal("ba_", created["prefix"]!.GetValue<string>());
        Assert.Equal("{\"files\":[\"read\"]}", created["permissions"]!.ToJsonString());
        Assert.Equal(50, created["rateLimitMax"]!.GetValue<long>());
        Assert.Equal(host.Clock.GetUtcNow().UtcDateTime.AddHours(1), DateTime.Parse(created["expiresAt"]!.GetValue<string>(), CultureInfo.InvariantCulture).ToUniversalTime());
    }

    [Theory]
    [InlineData("{\"name\":5}")]
    [InlineData("{\"prefix\":\"bad prefix\"}")]
    [InlineData("{\"prefix\":\"\"}")]
    [InlineData("{\"expiresIn\":0.5}")]
    [InlineData("{\"expiresIn\":\"86400\"}")]
    [InlineData("{\"remaining\":-1}")]
    [InlineData("{\"refillAmount\":null}")]
    [InlineData("{\"permissions\":{\"files\":\"read\"}}")]
    [InlineData("[1]")]
    [InlineData("")]
    public async Task Create_WithMistypedFields_IsAValidationError(string raw)
    {
        await using var host = await StartAsync();
        var (client, _) = await SignedUpAsync(host, "typed@example.com");
        var r = await client.PostRawAsync("/api-key/create", raw);
        Assert.Equal(400, r.Status);
        Assert.Equal("VALIDATION_ERROR", r.Code);
    }

    [Fact]
    public async Task Create_ChecksNameLengthPrefixLengthAndExpiryRange()
    {
        await using var host = await StartAsync(o => o.MaximumPrefixLength = 4);
        var (client, _) = await SignedUpAsync(host, "ranges@example.com");
        Assert.Equal("THE_NAME_LENGTH_IS_EITHER_TOO_LARGE_OR_TOO_SMALL", (await client.PostAsync("/api-key/create", new { name = new string('n', 33) })).Code);
        Assert.Equal("THE_PREFIX_LENGTH_IS_EITHER_TOO_LARGE_OR_TOO_SMALL", (await client.PostAsync("/api-key/create", new { prefix = "toolong_" })).Code);
        Assert.Equal("THE_EXPIRESIN_IS_SMALLER_THAN_THE_PREDEFINED_MINIMUM_VALUE", (await client.PostAsync("/api-key/create", new { expiresIn = 3600 })).Code);
        Assert.Equal("THE_EXPIRESIN_IS_LARGER_THAN_THE_PREDEFINED_MAXIMUM_VALUE", (await client.PostAsync("/api-key/create", new { expiresIn = 1e300 })).Code);
        Assert.Equal(0, await CountAsync(host));
    }
}
