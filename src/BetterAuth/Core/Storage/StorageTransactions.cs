using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace BetterAuth.Core.Storage;

/// <summary>
/// What happens around every database transaction EF Core begins (explicit ones and SaveChanges' own): when it ends,
/// the actions queued on the context with <see cref="AuthDbContext.AfterTransaction"/> run (dropping cached sessions
/// again once the change is visible to other connections).
/// There is no lock for all writes: a "check, then write" flow takes the lock on the thing it contends for
/// (<see cref="StorageLocks"/>), or needs none (a unique index, a conditional update), and says which beside its code.
/// </summary>
internal sealed class StorageTransactionInterceptor : DbTransactionInterceptor
{
    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        (eventData.Context as AuthDbContext)?.AfterTransaction.Clear();
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData,
        DbTransaction result, CancellationToken cancellationToken = default)
    {
        (eventData.Context as AuthDbContext)?.AfterTransaction.Clear();
        return ValueTask.FromResult(result);
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
