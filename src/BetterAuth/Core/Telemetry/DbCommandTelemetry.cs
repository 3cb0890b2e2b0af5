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
        var (operation, collection) = SqlSummary.Of(commandText);
        var summary = operation is null ? null : collection is null ? operation : $"{operation} {collection}";
        var activity = AuthTelemetry.StartClient(summary ?? system);
        if (activity is null) return null;
        activity.SetTag(AuthTelemetry.DbSystem, system);
        if (connection?.Database is { Length: > 0 } database) activity.SetTag(AuthTelemetry.DbNamespace, database);
        if (operation is not null) activity.SetTag(AuthTelemetry.DbOperation, operation);
        if (collection is not null) activity.SetTag(AuthTelemetry.DbCollection, collection);
        if (summary is not null) activity.SetTag(AuthTelemetry.DbSummary, summary);
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

/// <summary>
/// The operation and main table of a SQL statement (<c>SELECT</c> and <c>session</c>), read from its first keyword and
/// the table after FROM/INTO/UPDATE; cached per statement text, since EF Core sends the same few texts again and again.
/// </summary>
internal static partial class SqlSummary
{
    private const int MaxCached = 2048;
    private static readonly ConcurrentDictionary<string, (string?, string?)> Cache = new(StringComparer.Ordinal);

    public static (string? Operation, string? Collection) Of(string? sql)
    {
        if (string.IsNullOrEmpty(sql)) return (null, null);
        if (Cache.TryGetValue(sql, out var known)) return known;
        var summary = Read(sql);
        if (Cache.Count < MaxCached) Cache.TryAdd(sql, summary);
        return summary;
    }

    private static (string?, string?) Read(string sql)
    {
        var keyword = Keyword().Match(sql);
        if (!keyword.Success) return (null, null);
        var operation = keyword.Groups[1].Value.ToUpperInvariant();
        var table = Table().Match(sql, keyword.Index);
        return (operation, table.Success ? table.Groups[1].Value : null);
    }

    [GeneratedRegex(@"^\s*([A-Za-z]+)")]
    private static partial Regex Keyword();

    [GeneratedRegex(@"\b(?:FROM|INTO|UPDATE|TABLE)\s+(?:""?\w+""?\.)?""?(\w+)""?", RegexOptions.IgnoreCase)]
    private static partial Regex Table();
}
