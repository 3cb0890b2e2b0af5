using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Core.Storage;

/// <summary>
/// The hot read of every authenticated request — a session by token, with its user — as one hand-written SQL
/// join over the pooled connection, skipping EF Core's query pipeline (which costs more than the query itself here).
/// Column lists come from the schema (core + plugin columns), so plugins need nothing special.
/// </summary>
internal sealed class RowReader : IDisposable
{
    private static readonly string[] SessionCore = ["id", "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId"];
    private static readonly string[] UserCore = ["id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"];

    private readonly AuthSchema _schema;
    public string SessionWithUserByToken { get; }

    /// <summary>
    /// On SQLite: open connections, each with the session query already prepared. Renting one skips the
    /// connection-pool lock and the statement compile that otherwise cost more than the lookup itself (measured:
    /// bench/NOTES.md). Connections see every committed write (each read is its own autocommit transaction).
    /// </summary>
    private readonly ConcurrentBag<PreparedLookup>? _prepared;
    private readonly string? _sqliteConnectionString;
    private const int MaxIdlePrepared = 64;

    private sealed record PreparedLookup(SqliteConnection Connection, SqliteCommand Command, SqliteParameter Token);

    public RowReader(AuthSchema schema, DatabaseOptions? database = null)
    {
        _schema = schema;
        if (database?.Provider.Equals("sqlite", StringComparison.OrdinalIgnoreCase) == true)
        {
            _sqliteConnectionString = database.ConnectionString;
            _prepared = new ConcurrentBag<PreparedLookup>();
        }
        var sessionColumns = SessionCore.Concat(schema.SessionFields.Select(f => f.Name)).Select(c => $"s.\"{c}\"");
        var userColumns = UserCore.Concat(schema.UserFields.Select(f => f.Name)).Select(c => $"u.\"{c}\"");
        SessionWithUserByToken =
            $"SELECT {string.Join(", ", sessionColumns)}, {string.Join(", ", userColumns)} " +
            "FROM \"session\" s JOIN \"user\" u ON u.\"id\" = s.\"userId\" WHERE s.\"token\" = @token LIMIT 1";
    }

    public async Task<SessionWithUser?> FindSessionAsync(AuthDbContext db, string token, CancellationToken ct)
    {
        if (_prepared is not null) return FindSessionPrepared(token);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = SessionWithUserByToken;
            var p = command.CreateParameter();
            p.ParameterName = "@token";
            // The generic path is PostgreSQL's, whose text cannot hold U+0000 (see PostgresTextInterceptor).
            p.Value = PostgresTextInterceptor.Clean(token);
            command.Parameters.Add(p);
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, ct);
            return await reader.ReadAsync(ct) ? Map(reader) : null;
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    private SessionWithUser? FindSessionPrepared(string token)
    {
        if (!_prepared!.TryTake(out var lookup)) lookup = Prepare();
        try
        {
            lookup.Token.Value = token;
            using var reader = lookup.Command.ExecuteReader(System.Data.CommandBehavior.SingleRow);
            var result = reader.Read() ? Map(reader) : null;
            if (_prepared.Count < MaxIdlePrepared) { _prepared.Add(lookup); lookup = null; }
            return result;
        }
        finally
        {
            if (lookup is not null) Dispose(lookup);
        }
    }

    private PreparedLookup Prepare()
    {
        var connection = new SqliteConnection(_sqliteConnectionString);
        connection.Open();
        var command = connection.CreateCommand();
        command.CommandText = SessionWithUserByToken;
        var token = command.Parameters.Add("@token", SqliteType.Text);
        command.Prepare();
        return new PreparedLookup(connection, command, token);
    }

    private static void Dispose(PreparedLookup lookup)
    {
        lookup.Command.Dispose();
        lookup.Connection.Dispose();
    }

    public void Dispose()
    {
        while (_prepared?.TryTake(out var lookup) == true) Dispose(lookup);
    }

    private SessionWithUser Map(DbDataReader reader)
    {
        {
            var i = 0;
            var session = new Session
            {
                Id = reader.GetString(i++),
                ExpiresAt = Date(reader, i++),
                Token = reader.GetString(i++),
                CreatedAt = Date(reader, i++),
                UpdatedAt = Date(reader, i++),
                IpAddress = NullableString(reader, i++),
                UserAgent = NullableString(reader, i++),
                UserId = reader.GetString(i++),
            };
            foreach (var f in _schema.SessionFields) session[f.Name] = Value(reader, i++, f.Type);
            var user = new User
            {
                Id = reader.GetString(i++),
                Name = reader.GetString(i++),
                Email = reader.GetString(i++),
                EmailVerified = Bool(reader, i++) ?? false,
                Image = NullableString(reader, i++),
                CreatedAt = Date(reader, i++),
                UpdatedAt = Date(reader, i++),
            };
            foreach (var f in _schema.UserFields) user[f.Name] = Value(reader, i++, f.Type);
            return new SessionWithUser(session, user);
        }
    }

    private static string? NullableString(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DateTime Date(DbDataReader r, int i) => NullableDate(r, i) ?? throw new InvalidCastException("date column is null");

    /// <summary>SQLite stores dates as ISO text (or epoch numbers from other writers); PostgreSQL as timestamps.</summary>
    private static DateTime? NullableDate(DbDataReader r, int i)
    {
        if (r.IsDBNull(i)) return null;
        return r.GetFieldType(i) switch
        {
            var t when t == typeof(string) => JsDate.Parse(r.GetString(i)),
            var t when t == typeof(long) => JsDate.Parse(r.GetInt64(i).ToString(CultureInfo.InvariantCulture)),
            _ => DateTime.SpecifyKind(r.GetDateTime(i), DateTimeKind.Utc),
        };
    }

    private static bool? Bool(DbDataReader r, int i)
    {
        if (r.IsDBNull(i)) return null;
        var v = r.GetValue(i);
        return v switch { bool b => b, long l => l != 0, int n => n != 0, string s => s is "1" or "true", _ => Convert.ToBoolean(v, CultureInfo.InvariantCulture) };
    }

    private static object? Value(DbDataReader r, int i, FieldType type) => type switch
    {
        _ when r.IsDBNull(i) => null,
        FieldType.String => r.GetValue(i) is var v and not string ? Convert.ToString(v, CultureInfo.InvariantCulture) : r.GetString(i),
        FieldType.Boolean => Bool(r, i),
        FieldType.Number => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture),
        FieldType.Date => NullableDate(r, i),
        _ => r.GetValue(i),
    };
}
