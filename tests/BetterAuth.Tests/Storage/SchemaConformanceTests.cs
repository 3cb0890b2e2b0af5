using BetterAuth.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Storage;

/// <summary>Migrations and the stored formats, against each database (see <c>StorageProviders.cs</c>).</summary>
public abstract class SchemaConformanceTests
{
    protected abstract TestStorage Storage { get; }

    /// <summary>The index names on a table and the columns each covers, as the database reports them.</summary>
    protected abstract string IndexedColumnsSql(string table);

    /// <summary>The SQL type the database reports for a column.</summary>
    protected abstract string ColumnTypeSql(string table, string column);

    /// <summary>A date column as the database stores it, as text.</summary>
    protected abstract string StoredDateSql { get; }

    protected abstract string ExpectedStoredDate { get; }

    [Fact]
    public async Task Migrate_IsIdempotent_AndCreatesEveryTable()
    {
        await using var s = await StorageHost.StartAsync(Storage); // migrates on start
        var again = await s.Host.Services.MigrateBetterAuthAsync();
        Assert.False(again.Changed, again.ToString());
        foreach (var table in new[] { "user", "session", "account", "verification", "organization", "member", "invitation", "twoFactor" })
            Assert.NotEmpty(await QueryAsync(s, ColumnTypeSql(table, "id")));
    }

    [Theory]
    [InlineData("session", "token")]
    [InlineData("session", "userId")]
    [InlineData("user", "email")]
    [InlineData("user", StorageProbePlugin.Label)]
    [InlineData("account", "userId")]
    [InlineData("verification", "identifier")]
    [InlineData("member", "userId")]
    [InlineData("member", "organizationId")]
    [InlineData("organization", "slug")]
    [InlineData("twoFactor", "userId")]
    public async Task Migrate_IndexesTheLookups(string table, string column)
    {
        await using var s = await StorageHost.StartAsync(Storage);
        var indexed = await QueryAsync(s, IndexedColumnsSql(table));
        Assert.Contains(column, indexed);
    }

    [Theory]
    [InlineData("user", "email", "text")]
    [InlineData("user", "emailVerified", "boolean")]
    [InlineData("user", "createdAt", "date")]
    [InlineData("session", "expiresAt", "date")]
    [InlineData("user", StorageProbePlugin.Flag, "boolean")]
    [InlineData("user", StorageProbePlugin.Count, "number")]
    public async Task Migrate_UsesBetterAuthsColumnTypes(string table, string column, string kind)
    {
        await using var s = await StorageHost.StartAsync(Storage);
        var type = Assert.Single(await QueryAsync(s, ColumnTypeSql(table, column)));
        Assert.Equal(ExpectedType(kind), type, ignoreCase: true);
    }

    protected abstract string ExpectedType(string kind);

    [Fact]
    public async Task Dates_AreStoredAsUtc()
    {
        await using var s = await StorageHost.StartAsync(Storage);
        await s.NewUserAsync("dates@example.com");
        var stored = Assert.Single(await QueryAsync(s, StoredDateSql));
        Assert.Equal(ExpectedStoredDate, stored);
    }

    [Fact]
    public async Task Migrate_DryRun_ChangesNothing_ThenAppliesPluginColumnsToAnExistingSchema()
    {
        // First the core tables only, as a database made before the plugins were enabled.
        await using var core = await AuthTestHost.StartAsync(storage: Storage);
        var user = await core.Client().SignUpAsync("before@example.com");
        var connection = core.Runtime.Options.Database.ConnectionString;
        var provider = core.Runtime.Options.Database.Provider;

        await using var s = await StorageHost.StartAsync(Storage, o =>
        {
            o.Database.Provider = provider;
            o.Database.ConnectionString = connection;
            o.Database.MigrateOnStart = false;
        });
        var dryRun = await s.Host.Services.MigrateBetterAuthAsync(dryRun: true);
        Assert.Contains("organization", dryRun.CreatedTables);
        Assert.Contains($"user.{StorageProbePlugin.Flag}", dryRun.AddedColumns);
        Assert.True((await s.Host.Services.MigrateBetterAuthAsync(dryRun: true)).Changed); // the dry run applied nothing

        var applied = await s.Host.Services.MigrateBetterAuthAsync();
        Assert.Equal(dryRun.Sql, applied.Sql);
        Assert.False((await s.Host.Services.MigrateBetterAuthAsync()).Changed);
        var kept = await s.Store().FindUserByEmailAsync("before@example.com");
        Assert.Equal(user["user"]!["id"]!.GetValue<string>(), kept!.Id);
        Assert.Null(kept[StorageProbePlugin.Flag]);
    }

    [Fact]
    public async Task Migrate_InstancesStartingTogether_BothSucceed()
    {
        await using var first = await AuthTestHost.StartAsync(o => o.Database.MigrateOnStart = false, storage: Storage);
        var options = first.Runtime.Options.Database;
        await using var second = await AuthTestHost.StartAsync(o =>
        {
            o.Database.Provider = options.Provider;
            o.Database.ConnectionString = options.ConnectionString;
            o.Database.MigrateOnStart = false;
        }, storage: Storage);
        var reports = await Task.WhenAll(first.Services.MigrateBetterAuthAsync(), second.Services.MigrateBetterAuthAsync());
        Assert.Single(reports, r => r.Changed);
        Assert.Equal(200, (await first.Client().PostAsync("/sign-up/email", new { email = "together@example.com", password = "password123", name = "T" })).Status);
    }

    protected static Task<List<string>> QueryAsync(StorageHost s, string sql) =>
        s.Host.WithDbAsync(db => db.Database.SqlQueryRaw<string>(sql).ToListAsync());
}
