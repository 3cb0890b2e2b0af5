using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using static BetterAuth.Core.Storage.RowValues;

namespace BetterAuth.Core.Storage;

/// <summary>
/// The hot reads — a session by token with its user (every authenticated request) and a user's sessions
/// (list-sessions) — as hand-written SQL over the pooled connection, skipping EF Core's query pipeline (which costs
/// more than the query itself here). Column lists come from the schema (core + plugin columns), so plugins need
/// nothing special.
/// </summary>
internal sealed class RowReader : IDisposable
{
    private static readonly string[] SessionCore = ["id", "expiresAt", "token", "createdAt", "updatedAt", "ipAddress", "userAgent", "userId"];
    private static readonly string[] UserCore = ["id", "name", "email", "emailVerified", "image", "createdAt", "updatedAt"];

    private readonly AuthSchema _schema;
    public string SessionWithUserByToken { get; }
    public string SessionsByUserId { get; }

    /// <summary>On SQLite: pools of open connections with each query already prepared (BetterAuth.Sqlite's PreparedStatements).</summary>
    private readonly IPreparedRead? _sessionWithUser;
    private readonly IPreparedRead? _sessionsOfUser;
    private readonly Func<string, IPreparedRead>? _prepare;
    /// <summary>Other one-parameter reads (plugins' hot reads, <see cref="ListAsync{T}"/>), prepared on first use.</summary>
    private readonly ConcurrentDictionary<string, IPreparedRead> _prepared = new(StringComparer.Ordinal);
    // Made once: a lambda over instance methods would be a new delegate on every request.
    private readonly Func<DbDataReader, SessionWithUser?> _readSessionWithUser;
    private readonly Func<DbDataReader, List<Session>> _readSessions;

    public RowReader(AuthSchema schema, Func<string, IPreparedRead>? prepare = null)
    {
        _schema = schema;
        var sessionColumns = string.Join(", ", SessionCore.Concat(schema.SessionFields.Select(f => f.Name)).Select(c => $"s.\"{c}\""));
        var userColumns = string.Join(", ", UserCore.Concat(schema.UserFields.Select(f => f.Name)).Select(c => $"u.\"{c}\""));
        SessionWithUserByToken =
            $"SELECT {sessionColumns}, {userColumns} " +
            "FROM \"session\" s JOIN \"user\" u ON u.\"id\" = s.\"userId\" WHERE s.\"token\" = @p LIMIT 1";
        SessionsByUserId = $"SELECT {sessionColumns} FROM \"session\" s WHERE s.\"userId\" = @p";
        _readSessionWithUser = reader => reader.Read() ? Map(reader) : null;
        _readSessions = reader =>
        {
            var sessions = new List<Session>();
            while (reader.Read()) sessions.Add(MapSession(reader));
            return sessions;
        };
        _prepare = prepare;
        if (prepare is not null)
        {
            _sessionWithUser = prepare(SessionWithUserByToken);
            _sessionsOfUser = prepare(SessionsByUserId);
        }
    }

    public async Task<SessionWithUser?> FindSessionAsync(AuthDbContext db, string token, CancellationToken ct)
    {
        if (_sessionWithUser is not null)
            return _sessionWithUser.Run(token, _readSessionWithUser, System.Data.CommandBehavior.SingleRow);
        return await RunAsync(db, SessionWithUserByToken, token, async reader => await reader.ReadAsync(ct) ? Map(reader) : null, ct);
    }

    /// <summary>Every session row of a user, expired ones included (callers filter, as Better Auth does).</summary>
    public async Task<List<Session>> ListSessionsAsync(AuthDbContext db, string userId, CancellationToken ct)
    {
        if (_sessionsOfUser is not null)
            return _sessionsOfUser.Run(userId, _readSessions);
        return await RunAsync(db, SessionsByUserId, userId, async reader =>
        {
            var sessions = new List<Session>();
            while (await reader.ReadAsync(ct)) sessions.Add(MapSession(reader));
            return sessions;
        }, ct);
    }

    /// <summary>
    /// The rows of a one-parameter read (<c>@p</c>), each mapped by <paramref name="map"/>. On SQLite, outside a
    /// transaction, a statement kept prepared (one pool per SQL text); otherwise one command on the context's connection.
    /// For reads that run on every request of an endpoint, where EF Core's query pipeline costs more than the query.
    /// </summary>
    public async Task<List<T>> ListAsync<T>(AuthDbContext db, string sql, string parameter, Func<DbDataReader, T> map, CancellationToken ct)
    {
        if (_prepare is not null && db.Database.CurrentTransaction is null)
        {
            var prepared = _prepared.GetOrAdd(sql, _prepare);
            return prepared.Run(parameter, reader =>
            {
                var rows = new List<T>();
                while (reader.Read()) rows.Add(map(reader));
                return rows;
            });
        }
        return await RunAsync(db, sql, parameter, async reader =>
        {
            var rows = new List<T>();
            while (await reader.ReadAsync(ct)) rows.Add(map(reader));
            return rows;
        }, ct);
    }

    /// <summary>The generic path (PostgreSQL): one command on the context's connection.</summary>
    private static async Task<T> RunAsync<T>(AuthDbContext db, string sql, string parameter, Func<DbDataReader, Task<T>> read, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened) await connection.OpenAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            // Within the context's transaction when one is open, as EF Core's own queries would be.
            command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
            var p = command.CreateParameter();
            p.ParameterName = "@p";
            // PostgreSQL's text cannot hold U+0000 (see PostgresTextInterceptor).
            p.Value = PostgresTextInterceptor.Clean(parameter);
            command.Parameters.Add(p);
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await read(reader);
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    public void Dispose()
    {
        _sessionWithUser?.Dispose();
        _sessionsOfUser?.Dispose();
        foreach (var prepared in _prepared.Values) prepared.Dispose();
    }

    private SessionWithUser Map(DbDataReader reader)
    {
        var session = MapSession(reader);
        var i = SessionCore.Length + _schema.SessionFields.Count;
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

    private Session MapSession(DbDataReader reader)
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
        return session;
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
