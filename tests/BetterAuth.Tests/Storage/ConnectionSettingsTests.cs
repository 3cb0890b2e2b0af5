using BetterAuth.Core.Storage.Redis;
using BetterAuth.Server;
using Npgsql;

namespace BetterAuth.Tests.Storage;

/// <summary>DATABASE_URL and REDIS_URL as hosting platforms give them.</summary>
public sealed class ConnectionSettingsTests
{
    [Fact]
    public void PostgresUrl_BecomesAnNpgsqlConnectionString()
    {
        var database = new DatabaseOptions();
        ServerSettings.ApplyDatabase(database, "postgres://auth%40app:p%40ss%3Aw0rd@db.internal:6543/auth%20db?sslmode=verify-full&application_name=ba");
        Assert.True(database.IsPostgres);
        var parsed = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        Assert.Equal("db.internal", parsed.Host);
        Assert.Equal(6543, parsed.Port);
        Assert.Equal("auth@app", parsed.Username);
        Assert.Equal("p@ss:w0rd", parsed.Password);
        Assert.Equal("auth db", parsed.Database);
        Assert.Equal(SslMode.VerifyFull, parsed.SslMode);
        Assert.Equal("ba", parsed.ApplicationName);

        var defaults = new NpgsqlConnectionStringBuilder(ServerSettings.PostgresConnectionString("postgresql://db/auth"));
        Assert.Equal(5432, defaults.Port);
        Assert.Null(defaults.Username);
    }

    /// <summary>
    /// An unset pool size becomes <c>DefaultMaxPoolSize</c>, four per core and at least 16 (-1 below; a pool of Npgsql's 100 opened dozens of backends at once
    /// when concurrency jumped: bench/RESULTS-pg-latency.md); one the connection string sets, in any spelling, is kept.
    /// </summary>
    [Theory]
    [InlineData("Host=db;Database=auth", -1, 64)]
    [InlineData("Host=db;Maximum Pool Size=100", 100, 64)]
    [InlineData("Host=db;maximum pool size=7;Max Auto Prepare=0", 7, 0)]
    [InlineData("Host=db;MaxPoolSize=5", 5, 64)]
    public void PostgresConnections_DefaultToABoundedPool_UnlessSet(string connectionString, int pool, int autoPrepare)
    {
        var parsed = new NpgsqlConnectionStringBuilder(BetterAuth.BetterAuthPostgreSqlExtensions.WithDefaults(connectionString));
        Assert.Equal(pool < 0 ? Math.Max(16, 4 * Environment.ProcessorCount) : pool, parsed.MaxPoolSize);
        Assert.Equal(autoPrepare, parsed.MaxAutoPrepare);
    }

    /// <summary>Npgsql's own settings by name, spaces percent- or form-encoded (as URLSearchParams writes them).</summary>
    [Theory]
    [InlineData("postgres://db/auth?Maximum%20Pool%20Size=16")]
    [InlineData("postgres://db/auth?Maximum+Pool+Size=16")]
    public void PostgresUrl_TakesNpgsqlSettingsByName(string url)
    {
        Assert.Equal(16, new NpgsqlConnectionStringBuilder(ServerSettings.PostgresConnectionString(url)).MaxPoolSize);
    }

    [Theory]
    [InlineData("Host=db;Database=auth;Username=u;Password=p", true)]
    [InlineData("Server=db;User Id=u", true)]
    [InlineData("Data Source=auth.db", false)]
    [InlineData("/var/lib/auth.db", false)]
    [InlineData("sqlite:./auth.db", false)]
    public void DatabaseUrl_PicksTheProvider(string value, bool postgres)
    {
        var database = new DatabaseOptions();
        ServerSettings.ApplyDatabase(database, value);
        Assert.Equal(postgres, database.IsPostgres);
        Assert.Equal(!postgres, database.IsSqlite);
    }

    [Fact]
    public void BadPostgresUrls_AreClearErrors()
    {
        Assert.Throws<InvalidOperationException>(() => ServerSettings.PostgresConnectionString("postgres://"));
        Assert.Throws<InvalidOperationException>(() => ServerSettings.PostgresConnectionString("postgres://db/auth?nonsense=1"));
    }

    [Fact]
    public void ConnectionStringsInLogs_HideThePassword() =>
        Assert.Equal("Host=db;Password=***;Database=auth", ServerSettings.WithoutPassword("Host=db;Password=s3cret;Database=auth"));

    [Fact]
    public void RedisUrl_AndStackExchangeConfiguration_AreBothAccepted()
    {
        var url = RedisConnection.Parse("rediss://default:s%3Acret@cache.internal:6380/2");
        Assert.True(url.Ssl);
        Assert.Equal("default", url.User);
        Assert.Equal("s:cret", url.Password);
        Assert.Equal(2, url.DefaultDatabase);
        Assert.Equal("cache.internal:6380", Assert.Single(url.EndPoints).ToString()!.Replace("Unspecified/", ""));
        Assert.False(url.AbortOnConnectFail);

        var bare = RedisConnection.Parse("redis://:only-password@localhost");
        Assert.Equal("only-password", bare.Password);
        Assert.Null(bare.User);

        var native = RedisConnection.Parse("127.0.0.1:6379,password=x");
        Assert.Equal("x", native.Password);
        Assert.Throws<InvalidOperationException>(() => RedisConnection.Parse("redis://cache/not-a-number"));
    }
}
