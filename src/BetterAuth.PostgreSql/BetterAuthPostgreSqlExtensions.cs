using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BetterAuth;

/// <summary>PostgreSQL storage for Better Auth (package BetterAuth.PostgreSql).</summary>
public static class BetterAuthPostgreSqlExtensions
{
    /// <summary>
    /// Stores Better Auth's tables in PostgreSQL with Better Auth's own column types (<c>text</c>, <c>boolean</c>,
    /// <c>timestamp</c> holding UTC), so a database made by Better Auth's migrator is served as is. The connection is,
    /// in order: <paramref name="connectionString"/> when given; the host's <see cref="NpgsqlDataSource"/> service when
    /// it registers one (e.g. with <c>AddNpgsqlDataSource</c>) and no connection string is configured; else
    /// <c>BetterAuth:Database:ConnectionString</c> (an Npgsql connection string).
    /// </summary>
    public static BetterAuthBuilder UsePostgreSql(this BetterAuthBuilder builder, string? connectionString = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (connectionString is not null) builder.Configure(o => o.Database.ConnectionString = connectionString);
        return builder.UseDatabase(new AuthDatabaseProvider("postgres")
        {
            ConfigureContext = (sp, db, database) =>
            {
                if (HostDataSource(sp, database) is { } dataSource) db.UseNpgsql(dataSource);
                else db.UseNpgsql(WithDefaults(database.ConnectionString));
            },
            Problem = (sp, database) => HostDataSource(sp, database) is null && !LooksLikeNpgsql(database.ConnectionString)
                ? "ConnectionString is not an Npgsql connection string (Host=…;Database=…;Username=…;Password=…), and no NpgsqlDataSource is registered."
                : null,
        });
    }

    /// <summary>The host's data source, used when no connection string of Better Auth's own is configured.</summary>
    private static NpgsqlDataSource? HostDataSource(IServiceProvider services, DatabaseOptions database) =>
        LooksLikeNpgsql(database.ConnectionString) ? null : services.GetService<NpgsqlDataSource>();

    private static bool LooksLikeNpgsql(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return false;
        try { return !string.IsNullOrEmpty(new NpgsqlConnectionStringBuilder(connectionString).Host); }
        catch (ArgumentException) { return false; }
    }

    /// <summary>
    /// The connection pool's size when the connection string does not set one: four per core, at least 16 (Npgsql's own
    /// default is 100). More connections than that only queue in PostgreSQL and the OS scheduler instead of the pool.
    /// </summary>
    internal static int DefaultMaxPoolSize => Math.Max(16, 4 * Environment.ProcessorCount);

    /// <summary>
    /// Fills in two settings the connection string leaves unset:
    /// <list type="bullet">
    /// <item>Npgsql's automatic statement preparation: the same few lookups (session by token, user by email…) run on
    /// every request, and a prepared statement skips their planning.</item>
    /// <item>A pool of <see cref="DefaultMaxPoolSize"/> connections instead of Npgsql's 100. When concurrency jumps
    /// (16 → 64 requests at once in bench/pg-latency.mjs) a pool of 100 opened dozens of physical connections at once,
    /// each a new PostgreSQL backend process preparing its statements afresh, and get-session's p99 for that burst was
    /// 1.0-1.2 s (134 ms with a pool of 32, 24 ms with 16, at the same throughput: bench/RESULTS-pg-latency.md). It also
    /// keeps a few instances inside PostgreSQL's default max_connections (100). docs/SCALING.md has the arithmetic.</item>
    /// </list>
    /// </summary>
    internal static string WithDefaults(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
            .Cast<string>().Select(k => k.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()).ToHashSet();
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.Contains("AUTOPREPARE") && !given.Contains("MAXAUTOPREPARE")) builder.MaxAutoPrepare = 64;
        if (!given.Contains("MAXIMUMPOOLSIZE") && !given.Contains("MAXPOOLSIZE")) builder.MaxPoolSize = DefaultMaxPoolSize;
        return builder.ConnectionString;
    }
}
