using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BetterAuth.Core.Storage;

/// <summary>
/// Locks a "check, then write" flow takes on the one thing it contends for, held until its transaction ends. Flows call
/// them first inside their transaction, then read what they check: the reads then see every earlier holder's commit.
/// <list type="bullet">
/// <item>PostgreSQL (READ COMMITTED): <see cref="LockAsync"/> is a transaction-scoped advisory lock keyed by the thing
/// (<c>organization:&lt;id&gt;</c>), <see cref="LockRowAsync{TEntity}"/> a <c>SELECT … FOR NO KEY UPDATE</c> row lock
/// (which every <c>UPDATE</c> of that row also waits for). Flows over other things never wait for them.</item>
/// <item>SQLite: both are no-ops. Microsoft.Data.Sqlite begins every transaction IMMEDIATE, taking the database's single
/// write lock up front, so a write transaction already runs alone and its reads see the latest commit.</item>
/// </list>
/// </summary>
internal static class StorageLocks
{
    private const string NpgsqlProvider = "Npgsql.EntityFrameworkCore.PostgreSQL";
    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    /// <summary>Whether the context talks to PostgreSQL (where locks are taken).</summary>
    public static bool IsPostgres(this AuthDbContext db) => db.Database.ProviderName == NpgsqlProvider;

    /// <summary>True on SQLite (Microsoft.Data.Sqlite's EF Core provider).</summary>
    public static bool IsSqlite(this AuthDbContext db) => db.Database.ProviderName == SqliteProvider;

    /// <summary>
    /// Waits for, then holds until the current transaction ends, the lock on one named thing
    /// (<c>"organization:" + id</c>). Two keys can share a lock only by a 64-bit hash collision, which costs waiting, never
    /// correctness.
    /// </summary>
    public static async Task LockAsync(this AuthDbContext db, string key, CancellationToken ct = default)
    {
        RequireTransaction(db);
        if (!db.IsPostgres()) return;
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock({0})", [KeyOf(key)], ct);
    }

    /// <summary>
    /// Waits for, then holds until the current transaction ends, a row lock on the rows of <typeparamref name="TEntity"/>
    /// whose <paramref name="column"/> equals <paramref name="value"/> (none: nothing is locked). Concurrent updates of
    /// those rows, and other flows locking them, wait; inserts referencing them (a new session of a locked user) do not.
    /// </summary>
    public static async Task LockRowAsync<TEntity>(this AuthDbContext db, Expression<Func<TEntity, string>> column, string value,
        CancellationToken ct = default) where TEntity : class
    {
        RequireTransaction(db);
        if (!db.IsPostgres()) return;
        var entity = db.Model.FindEntityType(typeof(TEntity))
                     ?? throw new InvalidOperationException($"BetterAuth: {typeof(TEntity).Name} is not in the model.");
        var member = (column.Body as MemberExpression)?.Member.Name
                     ?? throw new ArgumentException("Expected a property access such as u => u.Id.", nameof(column));
        var table = entity.GetTableName()!;
        var schema = entity.GetSchema();
        var columnName = entity.FindProperty(member)!.GetColumnName(StoreObjectIdentifier.Table(table, schema))!;
        var from = schema is null ? Quote(table) : $"{Quote(schema)}.{Quote(table)}";
        // Only identifiers from the EF model (quoted) are pasted into the statement; the value is a parameter.
        var sql = $"SELECT 1 FROM {from} WHERE {Quote(columnName)} = {{0}} FOR NO KEY UPDATE";
        await db.Database.ExecuteSqlRawAsync(sql, [value], ct);
    }

    /// <summary>A stable 64-bit key (the same in every process and instance): the first 8 bytes of SHA-256 of the name.</summary>
    internal static long KeyOf(string key) =>
        BitConverter.ToInt64(SHA256.HashData(Encoding.UTF8.GetBytes("better-auth:" + key)), 0);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void RequireTransaction(AuthDbContext db)
    {
        // Outside a transaction the statement's own transaction would release the lock as soon as it was taken.
        if (db.Database.CurrentTransaction is null)
            throw new InvalidOperationException("BetterAuth: a storage lock is taken inside a transaction (BeginTransactionAsync first).");
    }
}
