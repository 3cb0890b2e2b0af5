using System.Globalization;
using System.Linq.Expressions;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// GET /admin/list-users' query (search, filter, sort, page) turned into one SQL query for the page and one COUNT,
/// never reading more rows than asked. Only user columns that leave the server can be searched, filtered or sorted
/// on; any other name is a 400, where Better Auth answers an empty list.
/// </summary>
internal sealed class UserListQuery
{
    private const int DefaultLimit = 100;
    private static readonly string[] SearchFields = ["email", "name"];
    private static readonly string[] SearchOperators = ["contains", "starts_with", "ends_with"];
    private static readonly string[] FilterOperators = ["eq", "ne", "lt", "lte", "gt", "gte", "contains"];
    private static readonly string[] SortDirections = ["asc", "desc"];

    private readonly List<Expression<Func<User, bool>>> _where = new();
    private (UserColumn Column, bool Descending)? _sort;

    /// <summary>The page size and offset as Better Auth echoes them: a non-zero number, else absent.</summary>
    public int? Limit { get; private set; }
    public int? Offset { get; private set; }

    /// <summary>Reads and checks the query string; every failure is 400 "Invalid query parameters".</summary>
    public static UserListQuery Parse(AuthContext ctx)
    {
        var columns = UserColumn.All(ctx.Auth.Registry.Schema);
        var q = new UserListQuery();
        var searchValue = Single(ctx, "searchValue");
        var searchField = Enum(ctx, "searchField", SearchFields) ?? "email";
        var searchOperator = Enum(ctx, "searchOperator", SearchOperators) ?? "contains";
        var sortBy = Single(ctx, "sortBy");
        var sortDirection = Enum(ctx, "sortDirection", SortDirections) ?? "asc";
        var filterField = Single(ctx, "filterField") ?? "email";
        var filterValue = Single(ctx, "filterValue");
        var filterOperator = Enum(ctx, "filterOperator", FilterOperators) ?? "eq";
        q.Limit = JsNumber(Single(ctx, "limit"));
        q.Offset = JsNumber(Single(ctx, "offset"));

        if (!string.IsNullOrEmpty(searchValue))
            q._where.Add(Predicate(columns[searchField], searchOperator, searchValue));
        if (!string.IsNullOrEmpty(filterValue))
            q._where.Add(Predicate(Column(columns, filterField), filterOperator, filterValue));
        if (!string.IsNullOrEmpty(sortBy))
            q._sort = (Column(columns, sortBy), sortDirection == "desc");
        return q;
    }

    /// <summary>The page of users and the number of users matching the filters.</summary>
    public async Task<(List<User> Users, int Total)> RunAsync(AuthDbContext db, CancellationToken ct)
    {
        IQueryable<User> matching = db.Users.AsNoTracking();
        foreach (var predicate in _where) matching = matching.Where(predicate);

        var page = matching;
        if (_sort is { } sort)
        {
            var u = Expression.Parameter(typeof(User), "u");
            var key = Expression.Lambda(sort.Column.Access(u), u);
            page = page.Provider.CreateQuery<User>(Expression.Call(typeof(Queryable),
                sort.Descending ? nameof(Queryable.OrderByDescending) : nameof(Queryable.OrderBy),
                [typeof(User), sort.Column.ClrType], page.Expression, Expression.Quote(key)));
        }
        // Without sortBy rows come in the table's natural order, as Better Auth queries them (no ORDER BY).
        if (Offset is > 0) page = page.Skip(Offset.Value);
        page = page.Take(Limit ?? DefaultLimit);

        var users = await page.ToListAsync(ct);
        var total = await matching.CountAsync(ct);
        return (users, total);
    }

    private static UserColumn Column(IReadOnlyDictionary<string, UserColumn> columns, string name) =>
        columns.TryGetValue(name, out var c) ? c : throw AuthError.InvalidQuery();

    private static Expression<Func<User, bool>> Predicate(UserColumn column, string op, string raw)
    {
        var u = Expression.Parameter(typeof(User), "u");
        var field = column.Access(u);
        Expression body;
        if (op is "contains" or "starts_with" or "ends_with")
        {
            if (column.Kind != FieldType.String) throw AuthError.InvalidQuery();
            // The value goes into LIKE unescaped, as Better Auth's Kysely adapter does (SQLite LIKE ignores ASCII case).
            var pattern = op switch { "contains" => $"%{raw}%", "starts_with" => $"{raw}%", _ => $"%{raw}" };
            body = Expression.Call(LikeMethod, Expression.Constant(EF.Functions), field, Parameter(pattern, typeof(string)));
        }
        else
        {
            var value = Parameter(column.ParseValue(raw), column.ClrType);
            body = op switch
            {
                "eq" => Expression.Equal(field, value),
                // SQL's <> never matches NULL; keep that (EF would otherwise add "OR column IS NULL").
                "ne" => column.Nullable
                    ? Expression.AndAlso(Expression.NotEqual(field, value), Expression.NotEqual(field, Expression.Constant(null, column.ClrType)))
                    : Expression.NotEqual(field, value),
                _ => Compare(column, op, field, value),
            };
        }
        return Expression.Lambda<Func<User, bool>>(body, u);
    }

    private static BinaryExpression Compare(UserColumn column, string op, Expression field, Expression value)
    {
        if (column.Kind == FieldType.Boolean) throw AuthError.InvalidQuery();
        if (column.Kind == FieldType.String)
        {
            // string.Compare(a, b) < 0 is how EF Core spells a < b on text.
            field = Expression.Call(StringCompare, field, value);
            value = Expression.Constant(0);
        }
        return op switch
        {
            "lt" => Expression.LessThan(field, value),
            "lte" => Expression.LessThanOrEqual(field, value),
            "gt" => Expression.GreaterThan(field, value),
            _ => Expression.GreaterThanOrEqual(field, value),
        };
    }

    /// <summary>A value EF Core sends as a SQL parameter (a member read off a constant), not inlined into the SQL text.</summary>
    private static MemberExpression Parameter(object? value, Type type)
    {
        var box = (IValueBox)Activator.CreateInstance(typeof(ValueBox<>).MakeGenericType(type))!;
        box.Set(value);
        return Expression.Property(Expression.Constant(box), "Value");
    }

    private interface IValueBox { void Set(object? value); }

    private sealed class ValueBox<T> : IValueBox
    {
        public T Value { get; private set; } = default!;
        public void Set(object? value) => Value = (T)value!;
    }

    private static readonly System.Reflection.MethodInfo LikeMethod = typeof(DbFunctionsExtensions)
        .GetMethod(nameof(DbFunctionsExtensions.Like), [typeof(DbFunctions), typeof(string), typeof(string)])!;

    private static readonly System.Reflection.MethodInfo StringCompare =
        typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!;

    /// <summary>One query value; a repeated key is an array, which these schemas refuse.</summary>
    private static string? Single(AuthContext ctx, string name)
    {
        var values = ctx.Http.Request.Query[name];
        if (values.Count > 1) throw AuthError.InvalidQuery();
        return values.Count == 0 ? null : values[0];
    }

    private static string? Enum(AuthContext ctx, string name, string[] allowed)
    {
        var v = Single(ctx, name);
        return v is null || allowed.Contains(v, StringComparer.Ordinal) ? v : throw AuthError.InvalidQuery();
    }

    /// <summary>
    /// <c>Number(value) || undefined</c>: zero and non-numbers are absent. Negative values are absent too (Better Auth
    /// hands them to SQL, where LIMIT -1 means every row); fractions are truncated.
    /// </summary>
    private static int? JsNumber(string? raw)
    {
        if (raw is null || !double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) return null;
        if (double.IsNaN(n) || n < 1) return null;
        return n >= int.MaxValue ? int.MaxValue : (int)n;
    }
}
