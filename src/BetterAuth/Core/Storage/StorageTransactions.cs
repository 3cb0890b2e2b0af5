using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BetterAuth.Core.Storage;

/// <summary>
/// What happens around every database transaction EF Core begins (explicit ones and SaveChanges' own).
/// <list type="bullet">
/// <item>On PostgreSQL the transaction first takes one advisory lock, so write transactions run one at a time, as on
/// SQLite where Microsoft.Data.Sqlite begins them IMMEDIATE. Flows written as "check, then write inside a transaction"
/// (accept an invitation once, keep one owner, use a backup code once) rely on that; under PostgreSQL's default
/// READ COMMITTED two of them could otherwise both pass the check.</item>
/// <item>When the transaction ends, the actions queued on the context with <see cref="AuthDbContext.AfterTransaction"/>
/// run (dropping cached sessions again once the change is visible to other connections).</item>
/// </list>
/// </summary>
internal sealed class StorageTransactionInterceptor(bool postgres) : DbTransactionInterceptor
{
    /// <summary>Any constant; distinct from the migrator's.</summary>
    private const string LockSql = "SELECT pg_advisory_xact_lock(72623860817680212)"; // 0x0102_0304_4241_5754 ("BAWT")

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        (eventData.Context as AuthDbContext)?.AfterTransaction.Clear();
        if (postgres)
        {
            using var command = connection.CreateCommand();
            command.Transaction = result;
            command.CommandText = LockSql;
            command.ExecuteNonQuery();
        }
        return result;
    }

    public override async ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        (eventData.Context as AuthDbContext)?.AfterTransaction.Clear();
        if (postgres)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = result;
            command.CommandText = LockSql;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) =>
        RunQueued(eventData).GetAwaiter().GetResult();

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        RunQueued(eventData);

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) =>
        RunQueued(eventData).GetAwaiter().GetResult();

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default) =>
        RunQueued(eventData);

    private static async Task RunQueued(TransactionEndEventData eventData)
    {
        if (eventData.Context is not AuthDbContext db || db.AfterTransaction.Count == 0) return;
        var queued = db.AfterTransaction.ToArray();
        db.AfterTransaction.Clear();
        foreach (var action in queued) await action();
    }
}
