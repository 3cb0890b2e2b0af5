using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;

namespace BetterAuth.Core.Storage;

/// <summary>What <see cref="SchemaMigrator"/> did (or, with a dry run, would do).</summary>
public sealed record MigrationReport(IReadOnlyList<string> CreatedTables, IReadOnlyList<string> AddedColumns,
    IReadOnlyList<string> CreatedIndexes, IReadOnlyList<string> Sql)
{
    /// <summary>Whether anything was (or would be) changed.</summary>
    public bool Changed => Sql.Count > 0;
    /// <summary>A one-line summary.</summary>
    public override string ToString() =>
        Changed
            ? $"created tables: {Join(CreatedTables)}; added columns: {Join(AddedColumns)}; created indexes: {Join(CreatedIndexes)}"
            : "schema is up to date";
    private static string Join(IReadOnlyList<string> items) => items.Count == 0 ? "-" : string.Join(", ", items);
}

/// <summary>
/// Creates or extends the tables of the enabled plugins, as Better Auth's <c>migrate</c> does: missing tables are
/// created, missing columns added, missing indexes built; nothing is dropped or rewritten, so running it again is a
/// no-op and a database written by Better Auth keeps its data. The DDL comes from EF Core's own SQL generator
/// for the configured provider.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>Any constant: PostgreSQL advisory lock key that serializes migrations of instances starting together.</summary>
    private const long PostgresMigrationLock = 0x4241_4D49_4752; // "BAMIGR"

    public static async Task<MigrationReport> MigrateAsync(AuthDbContext db, bool dryRun = false, CancellationToken ct = default)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await db.Database.OpenConnectionAsync(ct);
        var postgres = db.IsPostgres();
        try
        {
            // The schema is read inside the transaction that changes it, so two instances starting at once do not
            // both try to create the same table: SQLite's BEGIN IMMEDIATE and a PostgreSQL advisory lock make the
            // second wait, then see the first one's tables. PostgreSQL DDL is transactional, so a failure leaves nothing.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (postgres)
                await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({PostgresMigrationLock})", ct);
            var existing = await DatabaseIntrospection.ReadAsync(connection, db.IsSqlite(), tx.GetDbTransaction(), ct);
            var target = db.GetService<IDesignTimeModel>().Model;
            var all = db.GetService<IMigrationsModelDiffer>().GetDifferences(null, target.GetRelationalModel());

            var operations = new List<MigrationOperation>();
            var createdTables = new List<string>();
            var addedColumns = new List<string>();
            var createdIndexes = new List<string>();
            foreach (var op in all)
            {
                switch (op)
                {
                    case CreateTableOperation table when !existing.Tables.ContainsKey(table.Name):
                        operations.Add(table);
                        createdTables.Add(table.Name);
                        break;
                    case CreateTableOperation table:
                        foreach (var column in table.Columns.Where(c => !existing.Tables[table.Name].Contains(c.Name)))
                        {
                            operations.Add(ToAddColumn(table.Name, column));
                            addedColumns.Add($"{table.Name}.{column.Name}");
                        }
                        break;
                    case CreateIndexOperation index when !existing.Indexes.Contains(index.Name) && !existing.Covers(index):
                        operations.Add(index);
                        createdIndexes.Add(index.Name);
                        break;
                }
            }

            var sql = db.GetService<IMigrationsSqlGenerator>().Generate(operations, target);
            if (!dryRun)
            {
                foreach (var command in sql)
                    await db.Database.ExecuteSqlRawAsync(command.CommandText, ct);
                await tx.CommitAsync(ct);
            }
            else await tx.RollbackAsync(ct);
            if (!dryRun && db.IsSqlite())
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            return new MigrationReport(createdTables, addedColumns, createdIndexes, sql.Select(c => c.CommandText).ToList());
        }
        finally
        {
            if (opened) await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// The SQL a migration of this database would run, as a script for review that can be applied more than once:
    /// <c>CREATE TABLE</c> and <c>CREATE INDEX</c> carry <c>IF NOT EXISTS</c>, and on PostgreSQL so does every
    /// <c>ADD COLUMN</c>. (SQLite has no <c>ADD COLUMN IF NOT EXISTS</c>: its column additions are marked, and are meant
    /// for the database the script was made from.) Nothing is changed; an up-to-date database gives a script with no
    /// statements.
    /// </summary>
    public static async Task<string> ScriptAsync(AuthDbContext db, CancellationToken ct = default)
    {
        var report = await MigrateAsync(db, dryRun: true, ct);
        var postgres = db.IsPostgres();
        var script = new System.Text.StringBuilder();
        script.AppendLine(CultureInfo.InvariantCulture, $"-- Better Auth schema ({(postgres ? "PostgreSQL" : "SQLite")}): {report}.");
        script.AppendLine("-- Safe to run more than once; review, then apply with your database's client.");
        foreach (var statement in report.Sql)
        {
            var sql = Idempotent(statement.Trim().TrimEnd(';'), postgres);
            if (!postgres && AddColumn.IsMatch(sql))
                script.AppendLine("-- SQLite cannot guard ADD COLUMN: this line is for the database the script was made from.");
            script.AppendLine(sql + ";");
        }
        return script.ToString();
    }

    private static readonly System.Text.RegularExpressions.Regex AddColumn = new(@"^ALTER TABLE\s+\S+\s+ADD\s");

    /// <summary>Adds the guards EF Core's SQL generator leaves out (it writes migrations that run exactly once).</summary>
    internal static string Idempotent(string sql, bool postgres)
    {
        sql = System.Text.RegularExpressions.Regex.Replace(sql, @"^CREATE TABLE (?!IF NOT EXISTS )", "CREATE TABLE IF NOT EXISTS ");
        sql = System.Text.RegularExpressions.Regex.Replace(sql, @"^CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS )", "CREATE $1INDEX IF NOT EXISTS ");
        if (postgres)
            sql = System.Text.RegularExpressions.Regex.Replace(sql, @"^(ALTER TABLE\s+\S+\s+ADD) (?!COLUMN IF NOT EXISTS )(?:COLUMN )?", "$1 COLUMN IF NOT EXISTS ");
        return sql;
    }

    private static AddColumnOperation ToAddColumn(string table, AddColumnOperation column)
    {
        // A NOT NULL column added to a table that already has rows needs a default; plugin columns are nullable
        // in Better Auth, so only booleans with a known default get one here.
        column.Table = table;
        if (!column.IsNullable && column.DefaultValue is null && column.DefaultValueSql is null)
            column.DefaultValue = column.ClrType == typeof(bool) ? false : column.ClrType == typeof(string) ? "" : null;
        return column;
    }
}

/// <summary>The tables, columns and indexes a database already has.</summary>
internal sealed class DatabaseIntrospection
{
    public Dictionary<string, HashSet<string>> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);
    public HashSet<string> Indexes { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every index by table and column list, whatever its name (Better Auth's inline UNIQUE, Prisma's, ours).</summary>
    private readonly List<(string Table, string Columns, bool Unique)> _indexed = new();

    /// <summary>True when an index on the same columns exists under another name (and is unique if one is wanted).</summary>
    public bool Covers(CreateIndexOperation index)
    {
        var columns = string.Join(",", index.Columns);
        return _indexed.Any(e => string.Equals(e.Table, index.Table, StringComparison.OrdinalIgnoreCase) &&
                                 string.Equals(e.Columns, columns, StringComparison.OrdinalIgnoreCase) &&
                                 (e.Unique || !index.IsUnique));
    }

    public static async Task<DatabaseIntrospection> ReadAsync(DbConnection connection, bool sqlite, DbTransaction? tx, CancellationToken ct)
    {
        var result = new DatabaseIntrospection();
        if (sqlite)
        {
            foreach (var table in await QueryAsync(connection, tx, "SELECT name FROM sqlite_master WHERE type='table'", ct))
            {
                // The pragma functions take the table name as a string argument: a single-quoted literal.
                // A double-quoted "user" would be read as a column reference and fail in SQLite builds
                // without the double-quoted-string fallback (e.g. on a database the reference created).
                var quoted = Literal(table);
                result.Tables[table] = new HashSet<string>(
                    await QueryAsync(connection, tx, $"SELECT name FROM pragma_table_info({quoted})", ct), StringComparer.OrdinalIgnoreCase);
                foreach (var row in await QueryAsync(connection, tx, $"SELECT name || '|' || \"unique\" FROM pragma_index_list({quoted})", ct))
                {
                    var (name, unique) = (row[..row.LastIndexOf('|')], row.EndsWith("|1", StringComparison.Ordinal));
                    var columns = await QueryAsync(connection, tx, $"SELECT name FROM pragma_index_info({Literal(name)}) ORDER BY seqno", ct);
                    result._indexed.Add((table, string.Join(",", columns), unique));
                }
            }
            result.Indexes.UnionWith(await QueryAsync(connection, tx, "SELECT name FROM sqlite_master WHERE type='index'", ct));
        }
        else
        {
            const string columns = "SELECT table_name || '|' || column_name FROM information_schema.columns WHERE table_schema = current_schema()";
            foreach (var row in await QueryAsync(connection, tx, columns, ct))
            {
                var parts = row.Split('|', 2);
                if (!result.Tables.TryGetValue(parts[0], out var set))
                    result.Tables[parts[0]] = set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                set.Add(parts[1]);
            }
            result.Indexes.UnionWith(await QueryAsync(connection, tx, "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()", ct));
            // Each index's table, key columns in order and uniqueness (Better Auth's inline UNIQUE makes "user_email_key").
            const string indexes = """
                SELECT t.relname || '|' || i.indisunique::text || '|' ||
                       array_to_string(ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY k(attnum, n)
                                             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n), ',')
                FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace
                WHERE s.nspname = current_schema()
                """;
            foreach (var row in await QueryAsync(connection, tx, indexes, ct))
            {
                var parts = row.Split('|', 3);
                result._indexed.Add((parts[0], parts[2], parts[1] == "true"));
            }
        }
        return result;
    }

    private static string Literal(string value) => "'" + value.Replace("'", "''") + "'";

    private static async Task<List<string>> QueryAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = tx;
        var list = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) list.Add(reader.GetString(0));
        return list;
    }
}
