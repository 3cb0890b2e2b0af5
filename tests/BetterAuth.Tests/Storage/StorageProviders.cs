using BetterAuth.Tests.Support;

namespace BetterAuth.Tests.Storage;

// The conformance suites, once per storage configuration. PostgreSQL and Redis are real servers on loopback
// (scripts/services.sh, started by TestServices when scripts/test.sh has not already).

public sealed class SqliteStoreTests : StoreConformanceTests
{
    protected override TestStorage Storage => new(Postgres: false, Redis: false);
}

public sealed class SqliteRedisStoreTests : StoreConformanceTests
{
    protected override TestStorage Storage => new(Postgres: false, Redis: true);
}

public sealed class PostgresStoreTests : StoreConformanceTests
{
    protected override TestStorage Storage => new(Postgres: true, Redis: false);
}

public sealed class PostgresRedisStoreTests : StoreConformanceTests
{
    protected override TestStorage Storage => new(Postgres: true, Redis: true);
}

public sealed class SqliteConcurrencyTests : ConcurrencyConformanceTests
{
    protected override TestStorage Storage => new(Postgres: false, Redis: false);
}

public sealed class PostgresConcurrencyTests : ConcurrencyConformanceTests
{
    protected override TestStorage Storage => new(Postgres: true, Redis: false);
}

public sealed class PostgresRedisConcurrencyTests : ConcurrencyConformanceTests
{
    protected override TestStorage Storage => new(Postgres: true, Redis: true);
}

public sealed class SqliteSchemaTests : SchemaConformanceTests
{
    protected override TestStorage Storage => new(Postgres: false, Redis: false);

    protected override string IndexedColumnsSql(string table) =>
        $"SELECT i.name AS \"Value\" FROM pragma_index_list('{table}') l, pragma_index_info(l.name) i";

    protected override string ColumnTypeSql(string table, string column) =>
        $"SELECT type AS \"Value\" FROM pragma_table_info('{table}') WHERE name = '{column}'";

    protected override string ExpectedType(string kind) => kind switch
    {
        "boolean" => "integer",
        "date" => "date",
        "number" => "INTEGER",
        _ => "text",
    };

    protected override string StoredDateSql => "SELECT \"createdAt\" AS \"Value\" FROM \"user\"";
    protected override string ExpectedStoredDate => "2026-01-15T12:00:00.000Z";
}

public sealed class PostgresSchemaTests : SchemaConformanceTests
{
    protected override TestStorage Storage => new(Postgres: true, Redis: false);

    protected override string IndexedColumnsSql(string table) => $"""
        SELECT a.attname AS "Value" FROM pg_index i
        JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0]
        WHERE n.nspname = current_schema() AND t.relname = '{table}'
        """;

    protected override string ColumnTypeSql(string table, string column) => $"""
        SELECT data_type AS "Value" FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = '{table}' AND column_name = '{column}'
        """;

    protected override string ExpectedType(string kind) => kind switch
    {
        "boolean" => "boolean",
        "date" => "timestamp without time zone",
        "number" => "bigint",
        _ => "text",
    };

    protected override string StoredDateSql => "SELECT \"createdAt\"::text AS \"Value\" FROM \"user\"";
    protected override string ExpectedStoredDate => "2026-01-15 12:00:00";
}
