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
                else db.UseNpgsql(WithAutoPrepare(database.ConnectionString));
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
    /// Turns on Npgsql's automatic statement preparation unless the connection string sets it: the same few lookups
    /// (session by token, user by email…) run on every request, and a prepared statement skips their planning.
    /// </summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase) &&
            !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
            builder.MaxAutoPrepare = 64;
        return builder.ConnectionString;
    }
}
