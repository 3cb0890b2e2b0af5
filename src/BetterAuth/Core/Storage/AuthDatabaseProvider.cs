using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Core.Storage;

/// <summary>
/// The database a host chose on the builder: a storage package's provider (<c>UseSqlite</c>, <c>UsePostgreSql</c>),
/// which configures the library's own pooled <see cref="AuthDbContext"/>, or the host's own context
/// (<c>UseDbContext&lt;T&gt;</c>, <paramref name="HostContext"/>), which the host configures itself.
/// </summary>
internal sealed record AuthDatabaseProvider(string Name = "custom", Type? HostContext = null)
{
    /// <summary>PostgreSQL's conventions apply (U+0000 in text, storage locks).</summary>
    public bool IsPostgres => Name == "postgres";

    /// <summary>Sets the provider on the library's context options (<c>UseSqlite</c>, <c>UseNpgsql</c>).</summary>
    public Action<IServiceProvider, DbContextOptionsBuilder, DatabaseOptions>? ConfigureContext { get; init; }

    /// <summary>A fast path for the hot session reads (SQLite: prepared statements on their own connections), if any.</summary>
    public Func<DatabaseOptions, Func<string, IPreparedRead>?> PreparedReads { get; init; } = _ => null;

    /// <summary>What is wrong with the database settings for this provider (checked at start), or null.</summary>
    public Func<IServiceProvider, DatabaseOptions, string?> Problem { get; init; } = (_, _) => null;

    public void Configure(IServiceProvider services, DbContextOptionsBuilder builder, DatabaseOptions database)
    {
        if (ConfigureContext is null)
            throw new InvalidOperationException($"BetterAuth: the library's AuthDbContext is not used with UseDbContext<{HostContext?.Name}>().");
        ConfigureContext(services, builder, database);
    }

    public static InvalidOperationException Missing() => new(
        "BetterAuth: no database is configured. Call UseSqlite() (package BetterAuth.Sqlite), UsePostgreSql() " +
        "(package BetterAuth.PostgreSql) or UseDbContext<TContext>() on the builder AddBetterAuth(...) returns.");
}

/// <summary>A one-parameter read kept ready (a prepared statement), run synchronously.</summary>
internal interface IPreparedRead : IDisposable
{
    T Run<T>(string parameter, Func<DbDataReader, T> read, CommandBehavior behavior = CommandBehavior.Default);
}

/// <summary>Puts Better Auth's model and storage behaviour on a host's EF Core context options.</summary>
public static class BetterAuthDbContextOptionsExtensions
{
    /// <summary>
    /// Adds Better Auth's tables (core and the enabled plugins) to a context deriving from <see cref="AuthDbContext"/>,
    /// with Better Auth's storage behaviour (PostgreSQL text conventions, session-cache invalidation after commit). Call it
    /// after the database provider, e.g.
    /// <c>services.AddDbContext&lt;AppDbContext&gt;((sp, o) =&gt; o.UseSqlite(connectionString).UseBetterAuth(sp))</c>.
    /// </summary>
    public static DbContextOptionsBuilder UseBetterAuth(this DbContextOptionsBuilder builder, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(services);
        var relational = builder.Options.Extensions.OfType<Microsoft.EntityFrameworkCore.Infrastructure.RelationalOptionsExtension>().FirstOrDefault()
            ?? throw new InvalidOperationException("BetterAuth: call UseBetterAuth(sp) after the database provider (UseSqlite, UseNpgsql) on the context options.");
        var postgres = relational.GetType().Assembly.GetName().Name?.StartsWith("Npgsql", StringComparison.Ordinal) == true;
        return builder.UseBetterAuth(services, postgres);
    }

    internal static DbContextOptionsBuilder UseBetterAuth(this DbContextOptionsBuilder builder, IServiceProvider services, bool postgres)
    {
        builder.AddInterceptors(new StorageTransactionInterceptor(), Telemetry.DbCommandTelemetry.Instance);
        if (postgres) builder.AddInterceptors(new PostgresTextInterceptor());
        return builder.UseAuthModel(services.GetRequiredService<AuthRuntime>().Model);
    }
}
