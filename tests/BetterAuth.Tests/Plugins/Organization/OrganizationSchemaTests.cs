using BetterAuth.Plugins.Organization;
using BetterAuth.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using static BetterAuth.Tests.Plugins.Organization.OrganizationTestKit;

namespace BetterAuth.Tests.Plugins.Organization;

public sealed class OrganizationSchemaTests
{
    /// <summary>The tables as the reference's migrator (Kysely, SQLite) creates them with the organization plugin on.</summary>
    private const string ReferenceDdl = """
        CREATE TABLE "user" ("id" text not null primary key, "name" text not null, "email" text not null unique, "emailVerified" integer not null, "image" text, "createdAt" date not null, "updatedAt" date not null);
        CREATE TABLE "session" ("id" text not null primary key, "expiresAt" date not null, "token" text not null unique, "createdAt" date not null, "updatedAt" date not null, "ipAddress" text, "userAgent" text, "userId" text not null references "user" ("id"), "activeOrganizationId" text);
        CREATE TABLE "account" ("id" text not null primary key, "accountId" text not null, "providerId" text not null, "userId" text not null references "user" ("id"), "accessToken" text, "refreshToken" text, "idToken" text, "accessTokenExpiresAt" date, "refreshTokenExpiresAt" date, "scope" text, "password" text, "createdAt" date not null, "updatedAt" date not null);
        CREATE TABLE "verification" ("id" text not null primary key, "identifier" text not null, "value" text not null, "expiresAt" date not null, "createdAt" date, "updatedAt" date);
        CREATE TABLE "organization" ("id" text not null primary key, "name" text not null, "slug" text not null unique, "logo" text, "createdAt" date not null, "metadata" text);
        CREATE TABLE "member" ("id" text not null primary key, "organizationId" text not null references "organization" ("id"), "userId" text not null references "user" ("id"), "role" text not null, "createdAt" date not null);
        CREATE TABLE "invitation" ("id" text not null primary key, "organizationId" text not null references "organization" ("id"), "email" text not null, "role" text, "status" text not null, "expiresAt" date not null, "inviterId" text not null references "user" ("id"));
        """;

    [Fact]
    public async Task Migration_CreatesBetterAuthsTablesAndColumns()
    {
        using var sqliteOnly = TestStorage.Pin(TestStorage.Sqlite); // reads SQLite's catalog
        await using var host = await StartAsync();
        var columns = await host.WithDbAsync(async db =>
        {
            var result = new Dictionary<string, string[]>();
            foreach (var table in new[] { "organization", "member", "invitation", "session" })
                result[table] = await db.Database.SqlQuery<string>($"SELECT name AS \"Value\" FROM pragma_table_info({table})").ToArrayAsync();
            return result;
        });
        Assert.Equal(["createdAt", "id", "logo", "metadata", "name", "slug"], columns["organization"].Order());
        Assert.Equal(["createdAt", "id", "organizationId", "role", "userId"], columns["member"].Order());
        Assert.Equal(["email", "expiresAt", "id", "inviterId", "organizationId", "role", "status"], columns["invitation"].Order());
        Assert.Contains("activeOrganizationId", columns["session"]);
    }

    /// <summary>
    /// Listing a user's organizations looks up their memberships, never scans the organization table: with a correlated
    /// EXISTS, SQLite read every organization in the database for each list (0.28x get-session in bench/org-reads.mjs).
    /// </summary>
    [Fact]
    public async Task OrganizationsOfUser_IsIndexLookupsNotAScan()
    {
        using var sqliteOnly = TestStorage.Pin(TestStorage.Sqlite); // reads SQLite's query plan
        await using var host = await StartAsync();
        var plan = await host.WithDbAsync(async db =>
        {
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + OrganizationReads.OrganizationsOfUser;
            var p = command.CreateParameter();
            p.ParameterName = "@p";
            p.Value = "some-user";
            command.Parameters.Add(p);
            var steps = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) steps.Add(reader.GetString(3));
            return steps;
        });
        Assert.DoesNotContain(plan, step => step.StartsWith("SCAN", StringComparison.Ordinal));
        Assert.Contains(plan, step => step.Contains("SEARCH m USING INDEX", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADatabaseTheReferenceCreated_IsServedAsIs()
    {
        var dir = Directory.CreateTempSubdirectory("ba-org-ref-").FullName;
        var path = Path.Combine(dir, "ref.sqlite");
        await using (var connection = new SqliteConnection($"Data Source={path}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = ReferenceDdl;
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            await using var host = await AuthTestHost.StartAsync(o =>
            {
                o.Database.ConnectionString = $"Data Source={path}";
                o.Plugins.Add(new OrganizationPlugin());
            });
            var owner = await SignUpAsync(host, "refowner");
            var guest = await SignUpAsync(host, "refguest");
            var org = await CreateOrganizationAsync(owner, "ref-org", new { name = "Ref", slug = "ref-org", metadata = new { a = 1 } });
            await JoinAsync(owner, guest, Id(org), "member");
            var full = await guest.Client.GetAsync("/organization/get-full-organization");
            Assert.Equal(2, full.Json!["members"]!.AsArray().Count);
            Assert.Equal("{\"a\":1}", full.Json!["metadata"]!.GetValue<string>());
            // Stored the way Better Auth stores it: ISO dates and the active organization on the session row.
            var stored = await host.WithDbAsync(db => db.Database
                .SqlQueryRaw<string>("SELECT \"expiresAt\" AS \"Value\" FROM \"invitation\"").SingleAsync());
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", stored);
            Assert.Equal(Id(org), await ActiveOrganizationAsync(guest));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }

    [Fact]
    public async Task DeletingAUser_RemovesTheirMembershipsAndSentInvitations()
    {
        await using var host = await AuthTestHost.StartAsync(o =>
        {
            o.User.DeleteUser.Enabled = true;
            o.Plugins.Add(new OrganizationPlugin());
        });
        var cast = await CastAsync(host);
        await cast.Admin.Client.PostAsync("/organization/invite-member", new { email = "later@org.test", role = "member" });
        var r = await cast.Admin.Client.PostAsync("/delete-user", new { password = "password123" });
        Assert.Equal(200, r.Status);
        Assert.Equal(0, await host.WithDbAsync(db => db.Set<MemberRow>().CountAsync(m => m.UserId == cast.Admin.UserId)));
        Assert.Equal(0, await host.WithDbAsync(db => db.Set<InvitationRow>().CountAsync(i => i.InviterId == cast.Admin.UserId)));
        var full = await cast.Owner.Client.GetAsync("/organization/get-full-organization");
        Assert.Equal(2, full.Json!["members"]!.AsArray().Count);
    }

    [Fact]
    public void Options_BindFromConfiguration_AsTheServerCatalogBindsThem()
    {
        var section = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Plugins:Organization:MembershipLimit"] = "5",
            ["Plugins:Organization:OrganizationLimit"] = "2",
            ["Plugins:Organization:AcceptInvitationUrl"] = "https://x/{id}",
            ["Plugins:Organization:Roles:editor:post:0"] = "edit",
        }).Build().GetSection("Plugins:Organization");
        var options = new OrganizationOptions();
        Microsoft.Extensions.Configuration.ConfigurationBinder.Bind(section, options);
        Assert.Equal((5, 2), (options.MembershipLimit, options.OrganizationLimit));
        Assert.Equal("https://x/{id}", options.AcceptInvitationUrl);
        Assert.Equal(["edit"], options.Roles["editor"]["post"]);
        Assert.True(new OrganizationAccess(options).HasPermission("editor", "post", "edit"));
        Assert.False(new OrganizationAccess(options).HasPermission("owner", "organization", "update"));
    }
}
