using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BetterAuth.Core.Telemetry;

/// <summary>
/// A client span per database command of Better Auth's context, on SQLite and PostgreSQL alike and without
/// OpenTelemetry's (beta) EF Core instrumentation: named by its query summary (<c>SELECT session</c>), with
/// <c>db.system.name</c>, <c>db.namespace</c>, <c>db.operation.name</c> and <c>db.collection.name</c>. The SQL text and
/// parameter values are never recorded (parameters hold emails and tokens).
/// </summary>
internal sealed partial class DbCommandTelemetry : DbCommandInterceptor
{
    public static readonly DbCommandTelemetry Instance = new();

    private static readonly ConditionalWeakTable<DbCommand, Activity> Running = new();

    /// <summary>Starts a span for a command outside EF Core (SQLite's prepared session reads), or returns null.</summary>
    public static Activity? Start(DbConnection? connection, string commandText)
    {
        if (!AuthTelemetry.Source.HasListeners()) return null;
        var system = SystemOf(connection);
        var sql = SqlSummary.Of(commandText);
        var activity = AuthTelemetry.StartClient(sql.Summary ?? system);
        if (activity is null) return null;
        activity.SetTag(AuthTelemetry.DbSystem, system);
        if (connection?.Database is { Length: > 0 } database) activity.SetTag(AuthTelemetry.DbNamespace, database);
        if (sql.Operation is not null) activity.SetTag(AuthTelemetry.DbOperation, sql.Operation);
        if (sql.Collection is not null) activity.SetTag(AuthTelemetry.DbCollection, sql.Collection);
        if (sql.Summary is not null) activity.SetTag(AuthTelemetry.DbSummary, sql.Summary);
        if (sql.Statements > 1) activity.SetTag(AuthTelemetry.DbBatchSize, sql.Statements);
        return activity;
    }

    /// <summary>OpenTelemetry's <c>db.system.name</c> values for the providers Better Auth is used with.</summary>
    private static string SystemOf(DbConnection? connection) => connection?.GetType().Name switch
    {
        "SqliteConnection" => "sqlite",
        "NpgsqlConnection" => "postgresql",
        "SqlConnection" => "microsoft.sql_server",
        "MySqlConnection" => "mysql",
        _ => "other_sql",
    };

    private static void Begin(DbCommand command)
    {
        if (Start(command.Connection, command.CommandText) is { } activity) Running.AddOrUpdate(command, activity);
    }

    private static void End(DbCommand command, Exception? error = null, bool canceled = false)
    {
        if (!Running.TryGetValue(command, out var activity)) return;
        Running.Remove(command);
        if (error is not null) activity.Fail(AuthTelemetry.ErrorTypeOf(error));
        else if (canceled) activity.Fail("canceled");
        activity.Dispose();
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    { Begin(command); return result; }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    { Begin(command); return ValueTask.FromResult(result); }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    { End(command); return result; }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    { End(command); return ValueTask.FromResult(result); }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    { Begin(command); return result; }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    { Begin(command); return ValueTask.FromResult(result); }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    { End(command); return result; }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    { End(command); return ValueTask.FromResult(result); }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    { Begin(command); return result; }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    { Begin(command); return ValueTask.FromResult(result); }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    { End(command); return result; }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    { End(command); return ValueTask.FromResult(result); }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => End(command, eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    { End(command, eventData.Exception); return Task.CompletedTask; }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => End(command, canceled: true);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    { End(command, canceled: true); return Task.CompletedTask; }
}

/// <summary>The summary of a command: its operation, table and summary text, and how many statements it batches.</summary>
internal readonly record struct SqlSummaryResult(string? Operation, string? Collection, string? Summary, int Statements);

/// <summary>
/// The operation and main table of a SQL command (<c>SELECT</c> and <c>session</c>), read from each statement's first
/// keyword and the table after FROM/INTO/UPDATE; cached per command text, since EF Core sends the same few texts again
/// and again. A batch (EF Core joins a SaveChanges' statements with <c>;</c> on PostgreSQL) is named as OpenTelemetry's
/// database conventions name batches: <c>BATCH INSERT</c> when every statement does the same, the table when they
/// share one, and a summary listing each distinct statement (<c>INSERT user; INSERT account</c>).
/// </summary>
internal static partial class SqlSummary
{
    private const int MaxCached = 2048;
    private static readonly ConcurrentDictionary<string, SqlSummaryResult> Cache = new(StringComparer.Ordinal);

    public static SqlSummaryResult Of(string? sql)
    {
        if (string.IsNullOrEmpty(sql)) return default;
        if (Cache.TryGetValue(sql, out var known)) return known;
        var summary = Read(sql);
        if (Cache.Count < MaxCached) Cache.TryAdd(sql, summary);
        return summary;
    }

    private static SqlSummaryResult Read(string sql)
    {
        var statements = StatementEnd().Split(sql).Select(ReadStatement).Where(s => s.Operation is not null).ToList();
        if (statements.Count == 0) return default;
        if (statements.Count == 1)
        {
            var (operation, table) = statements[0];
            return new(operation, table, table is null ? operation : $"{operation} {table}", 1);
        }
        var operations = statements.Select(s => s.Operation).Distinct().ToList();
        var tables = statements.Select(s => s.Table).Distinct().ToList();
        var summary = string.Join("; ", statements.Select(s => s.Table is null ? s.Operation : $"{s.Operation} {s.Table}").Distinct());
        return new(operations.Count == 1 ? "BATCH " + operations[0] : "BATCH", tables.Count == 1 ? tables[0] : null, summary, statements.Count);
    }

    private static (string? Operation, string? Table) ReadStatement(string statement)
    {
        var keyword = Keyword().Match(statement);
        if (!keyword.Success) return (null, null);
        var operation = keyword.Groups[1].Value.ToUpperInvariant();
        var table = Table().Match(statement, keyword.Index);
        return (operation, table.Success ? table.Groups[1].Value : null);
    }

    /// <summary>A semicolon that ends one statement of a batch (EF Core's parameters keep values out of the text).</summary>
    [GeneratedRegex(@";\s*")]
    private static partial Regex StatementEnd();

    [GeneratedRegex(@"^\s*([A-Za-z]+)")]
    private static partial Regex Keyword();

    [GeneratedRegex(@"\b(?:FROM|INTO|UPDATE|TABLE)\s+(?:""?\w+""?\.)?""?(\w+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex Table();
}
