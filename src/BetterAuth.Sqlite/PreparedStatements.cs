using System.Collections.Concurrent;
using System.Data;
using Microsoft.Data.Sqlite;

namespace BetterAuth.Core.Storage;

/// <summary>
/// A pool of open SQLite connections, each holding one statement already prepared, for a one-parameter read.
/// Renting one skips the connection-pool lock and the statement compile that otherwise cost more than the lookup
/// itself (measured: bench/NOTES.md). Each read is its own autocommit transaction, so it sees every committed write.
/// </summary>
internal sealed class PreparedStatements(string connectionString, string sql) : IPreparedRead
{
    private const int MaxIdle = 64;
    private readonly ConcurrentBag<Prepared> _idle = new();

    private sealed record Prepared(SqliteConnection Connection, SqliteCommand Command, SqliteParameter Parameter);

    public T Run<T>(string parameter, Func<System.Data.Common.DbDataReader, T> read, CommandBehavior behavior = CommandBehavior.Default)
    {
        if (!_idle.TryTake(out var prepared)) prepared = Prepare();
        using var span = Telemetry.DbCommandTelemetry.Start(prepared.Connection, sql);
        try
        {
            prepared.Parameter.Value = parameter;
            T result;
            using (var reader = prepared.Command.ExecuteReader(behavior)) result = read(reader);
            if (_idle.Count < MaxIdle) { _idle.Add(prepared); prepared = null; }
            return result;
        }
        catch (Exception e)
        {
            if (span is not null) Telemetry.AuthTelemetry.Fail(span, Telemetry.AuthTelemetry.ErrorTypeOf(e));
            throw;
        }
        finally
        {
            // A statement that failed (or one past the idle cap) is not reused.
            if (prepared is not null) Dispose(prepared);
        }
    }

    private Prepared Prepare()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameter = command.Parameters.Add("@p", SqliteType.Text);
        command.Prepare();
        return new Prepared(connection, command, parameter);
    }

    private static void Dispose(Prepared prepared)
    {
        prepared.Command.Dispose();
        prepared.Connection.Dispose();
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var prepared)) Dispose(prepared);
    }
}
