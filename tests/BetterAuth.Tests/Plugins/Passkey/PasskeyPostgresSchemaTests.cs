using BetterAuth.Plugins.Passkey;
using BetterAuth.Tests.Support;
using Npgsql;
using static BetterAuth.Tests.Plugins.Passkey.PasskeyTestKit;

namespace BetterAuth.Tests.Plugins.Passkey;

/// <summary>A PostgreSQL <c>passkey</c> table made by Better Auth's own migrator (counter <c>integer</c>, no index): served as it is.</summary>
public sealed class PasskeyPostgresSchemaTests
{
    /// <summary>What Better Auth 1.2.12's Kysely migrator emits on PostgreSQL for the user and passkey tables (and the rest of core).</summary>
    private const string BetterAuthSchema = """
        create table "user" ("id" text not null primary key, "name" text not null, "email" text not null unique, "emailVerified" boolean not null, "image" text, "createdAt" timestamp not null, "updatedAt" timestamp not null);
        create table "session" ("id" text not null primary key, "expiresAt" timestamp not null, "token" text not null unique, "createdAt" timestamp not null, "updatedAt" timestamp not null, "ipAddress" text, "userAgent" text, "userId" text not null references "user" ("id"));
        create table "account" ("id" text not null primary key, "accountId" text not null, "providerId" text not null, "userId" text not null references "user" ("id"), "accessToken" text, "refreshToken" text, "idToken" text, "accessTokenExpiresAt" timestamp, "refreshTokenExpiresAt" timestamp, "scope" text, "password" text, "createdAt" timestamp not null, "updatedAt" timestamp not null);
        create table "verification" ("id" text not null primary key, "identifier" text not null, "value" text not null, "expiresAt" timestamp not null, "createdAt" timestamp, "updatedAt" timestamp);
        create table "passkey" ("id" text not null primary key, "name" text, "publicKey" text not null, "userId" text not null references "user" ("id"), "credentialID" text not null, "counter" integer not null, "deviceType" text not null, "backedUp" boolean not null, "transports" text, "createdAt" timestamp, "aaguid" text);
        insert into "user" values ('u1', 'Ref User', 'ref@example.com', true, null, '2025-06-27 10:00:00', '2025-06-27 10:00:00');
        """;

    [Fact]
    public async Task PasskeyStoredByBetterAuth_SignsIn_AndNewOnesAreStoredInItsTable()
    {
        await using var schema = await TestServices.NewPostgresSchemaAsync();
        var stored = new SoftAuthenticator { Counter = 3 };
        await using (var connection = new NpgsqlConnection(schema.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(BetterAuthSchema +
                "insert into \"passkey\" values ('p1', 'Made by Better Auth', @key, 'u1', @id, 3, 'singleDevice', false, 'internal', '2025-06-27 10:00:00', '00000000-0000-0000-0000-000000000000');", connection);
            command.Parameters.AddWithValue("key", Convert.ToBase64String(stored.CosePublicKey));
            command.Parameters.AddWithValue("id", stored.Id);
            await command.ExecuteNonQueryAsync();
        }

        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.Database.Provider = "postgres";
            o.Database.ConnectionString = schema.ConnectionString;
            o.Plugins.Add(new PasskeyPlugin());
        }, storage: new TestStorage(Postgres: true, Redis: false));

        var browser = host.Client();
        var (signIn, _) = await SignInAsync(browser, stored);
        Assert.Equal(200, signIn.Status);
        Assert.Equal("u1", signIn.Json!["session"]!["userId"]!.GetValue<string>());
        var listed = await browser.GetAsync("/passkey/list-user-passkeys");
        Assert.Equal(4, listed.Json![0]!["counter"]!.GetValue<long>());
        Assert.Equal("2025-06-27T10:00:00.000Z", listed.Json![0]!["createdAt"]!.GetValue<string>());

        Assert.Equal(200, (await RegisterAsync(browser, new SoftAuthenticator(backupEligible: true), "Second")).Status);
        Assert.Equal(2, (await RowsAsync(host)).Count);
        Assert.False((await host.Services.MigrateBetterAuthAsync()).Changed);
    }
}
