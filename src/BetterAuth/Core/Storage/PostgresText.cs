using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BetterAuth.Core.Storage;

/// <summary>
/// PostgreSQL <c>text</c> cannot hold U+0000, and a parameter carrying one fails the whole statement. Clients can
/// send it (<c>%00</c> in a query, <c>\u0000</c> in JSON); SQLite takes it. So that such input behaves the same on
/// both, every string parameter has U+0000 replaced by U+FFFD before it reaches PostgreSQL: a lookup then simply
/// finds nothing (no stored text contains U+0000), and a write stores the replacement character.
/// </summary>
internal sealed class PostgresTextInterceptor : DbCommandInterceptor
{
    public const char Nul = '\0';
    public const char Replacement = '\uFFFD';

    public static string Clean(string value) => value.Contains(Nul) ? value.Replace(Nul, Replacement) : value;

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        CleanParameters(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        CleanParameters(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        CleanParameters(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        CleanParameters(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        CleanParameters(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        CleanParameters(command);
        return ValueTask.FromResult(result);
    }

    private static void CleanParameters(DbCommand command)
    {
        foreach (DbParameter p in command.Parameters)
        {
            switch (p.Value)
            {
                case string s when s.Contains(Nul):
                    p.Value = Clean(s);
                    break;
                case string[] list when list.Any(x => x is not null && x.Contains(Nul)):
                    p.Value = list.Select(x => x is null ? null : Clean(x)).ToArray();
                    break;
                case List<string> list when list.Any(x => x is not null && x.Contains(Nul)):
                    p.Value = list.Select(x => x is null ? null : Clean(x)).ToList();
                    break;
            }
        }
    }
}
