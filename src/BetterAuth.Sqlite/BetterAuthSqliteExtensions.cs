using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth;

/// <summary>SQLite storage for Better Auth (package BetterAuth.Sqlite).</summary>
public static class BetterAuthSqliteExtensions
{
    /// <summary>
    /// Stores Better Auth's tables in SQLite, as Better Auth's Kysely adapter does (booleans 0/1, dates as ISO-8601
    /// text), so one database file can be shared with Better Auth itself. The connection string is
    /// <paramref name="connectionString"/> when given, else <c>BetterAuth:Database:ConnectionString</c>
    /// (default <c>Data Source=better-auth.db</c>). Session lookups run as statements prepared once per pooled connection.
    /// </summary>
    public static BetterAuthBuilder UseSqlite(this BetterAuthBuilder builder, string? connectionString = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (connectionString is not null) builder.Configure(o => o.Database.ConnectionString = connectionString);
        return builder.UseDatabase(new AuthDatabaseProvider("sqlite")
        {
            ConfigureContext = (_, db, database) => db.UseSqlite(database.ConnectionString),
            PreparedReads = database => sql => new PreparedStatements(database.ConnectionString, sql),
        });
    }
}
