using System.Data;
using System.Data.Common;
using System.Diagnostics;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BetterAuth.Core.Messaging;

/// <summary>
/// Sends the messages queued in <c>authOutbox</c> (see <see cref="OutboxRow"/>) through the remote senders, on every
/// instance. Each round claims up to <see cref="MessageDeliveryOptions.BatchSize"/> due rows with one conditional UPDATE
/// (rows that are pending, due, and not held by a live claim; on PostgreSQL picked <c>FOR UPDATE SKIP LOCKED</c>), so
/// with several instances each message is taken by one;
/// a claim lapses after <see cref="MessageDeliveryOptions.ClaimTimeout"/>, so a message held by an instance that died is
/// taken by another. A sent message is deleted; a failed one is retried with exponential backoff, then dead-lettered.
/// <para>On shutdown no new messages are claimed, claimed ones not yet started are released, and the sends under way
/// finish (they are cut only when the host's shutdown timeout runs out; such messages are released too).</para>
/// </summary>
internal sealed class MessageDispatcher(IServiceProvider services, AuthMessenger messenger, AuthRuntime auth, ILogger<MessageDispatcher> logger)
    : BackgroundService
{
    /// <summary>Cancelled only when the host's shutdown timeout runs out: until then, sends under way may finish.</summary>
    private readonly CancellationTokenSource _sends = new();
    private DateTime _nextCleanup = DateTime.MinValue;

    private MessageDeliveryOptions Options => auth.Options.Messages;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!messenger.Durable || !Options.Dispatch) return;
        // Start once the host has started (the migration may still be creating the table).
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var handled = 0;
            try { handled = await RunOnceAsync(stoppingToken, _sends.Token); }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                Telemetry.CoreLog.OutboxPollFailed(logger, e, Options.PollInterval);
            }
            catch (OperationCanceledException) { break; }
            if (handled == 0) await messenger.WaitForQueuedAsync(TimeSpan.FromSeconds(Options.PollInterval), stoppingToken);
        }
    }

    /// <summary>How long, once the shutdown timeout cut the sends, the dispatcher may take to release their messages.</summary>
    private static readonly TimeSpan ReleaseGrace = TimeSpan.FromSeconds(1);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // No new claims; the sends under way go on until they finish or the shutdown timeout runs out. (Not a token
        // registration: base.StopAsync returns from inside the token's callbacks, and disposing a registration that has
        // not run yet drops it.)
        await base.StopAsync(cancellationToken);
        if (ExecuteTask is not { IsCompleted: false } running) return;
        _sends.Cancel();
        // The cut sends release their rows for another instance (else they wait for their claim to lapse).
        await running.WaitAsync(ReleaseGrace, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public override void Dispose()
    {
        _sends.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// One round: claims the due messages (none once <paramref name="claims"/> is cancelled), sends them and records each
    /// outcome. Returns how many were claimed.
    /// </summary>
    internal async Task<int> RunOnceAsync(CancellationToken claims = default, CancellationToken sends = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        await CleanUpAsync(db);
        claims.ThrowIfCancellationRequested();

        var now = auth.Now;
        var claim = RandomStrings.Id();
        var until = now.AddSeconds(Options.ClaimTimeout);
        var rows = db.Set<OutboxRow>();
        int claimed;
        if (db.IsPostgres())
            claimed = await ClaimSkippingLockedAsync(db, claim, until, now);
        else
        {
            var due = rows.Where(r => r.Status == OutboxRow.Pending && r.AvailableAt <= now && (r.ClaimedUntil == null || r.ClaimedUntil < now));
            var batch = due.OrderBy(r => r.AvailableAt).Select(r => r.Id).Take(Options.BatchSize);
            // The conditions are repeated on the row being updated: SQLite runs one writer at a time, so of two
            // dispatchers that picked the same rows, the second finds them claimed and claims none of them.
            claimed = await due.Where(r => batch.Contains(r.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.ClaimedBy, claim)
                .SetProperty(r => r.ClaimedUntil, until)
                .SetProperty(r => r.Attempts, r => r.Attempts + 1), CancellationToken.None);
        }
        if (claimed == 0) return 0;

        var work = await rows.AsNoTracking().Where(r => r.ClaimedBy == claim).ToListAsync(CancellationToken.None);
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Options.Concurrency }, async (row, _) =>
        {
            // Once stopping, only the sends under way are finished: the rest of the batch goes back for the next instance.
            if (claims.IsCancellationRequested) await ReleaseAsync(row, claim, row.DeliveredTo);
            else await SendAsync(row, claim, sends);
        });
        return claimed;
    }

    /// <summary>
    /// The claim on PostgreSQL, one statement: the due rows are picked <c>FOR UPDATE SKIP LOCKED</c>, so dispatchers
    /// claiming at the same moment take different rows instead of waiting for one another; the conditions are checked
    /// again on each row updated (READ COMMITTED re-reads a row that changed meanwhile), so a row is claimed once.
    /// </summary>
    private Task<int> ClaimSkippingLockedAsync(AuthDbContext db, string claim, DateTime until, DateTime now)
    {
        var entity = db.Model.FindEntityType(typeof(OutboxRow))!;
        var table = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string C(string property) => "\"" + entity.FindProperty(property)!.GetColumnName(table) + "\"";
        var name = (entity.GetSchema() is { } schema ? $"\"{schema}\"." : "") + $"\"{entity.GetTableName()}\"";
        var (id, status, availableAt, claimedBy, claimedUntil, attempts) = (C(nameof(OutboxRow.Id)), C(nameof(OutboxRow.Status)),
            C(nameof(OutboxRow.AvailableAt)), C(nameof(OutboxRow.ClaimedBy)), C(nameof(OutboxRow.ClaimedUntil)), C(nameof(OutboxRow.Attempts)));
        var due = $"{status} = @status AND {availableAt} <= @now AND ({claimedUntil} IS NULL OR {claimedUntil} < @now)";
        string DueOn(string alias) => $"{alias}.{status} = @status AND {alias}.{availableAt} <= @now AND ({alias}.{claimedUntil} IS NULL OR {alias}.{claimedUntil} < @now)";
        // The pick is a MATERIALIZED CTE, not "id IN (subquery)": when a row of an IN-subquery was changed by a concurrent
        // claim, READ COMMITTED's recheck may run the subquery again, and one statement then claimed far more than the
        // limit (40 of 40 rows with a limit of 3 in OutboxDispatchTests). A materialized CTE is evaluated once.
        var sql = $"WITH picked AS MATERIALIZED (SELECT {id} FROM {name} WHERE {due} ORDER BY {availableAt} LIMIT @limit FOR UPDATE SKIP LOCKED) " +
                  $"UPDATE {name} AS o SET {claimedBy} = @claim, {claimedUntil} = @until, {attempts} = o.{attempts} + 1 " +
                  $"FROM picked WHERE o.{id} = picked.{id} AND {DueOn("o")}";
        // Typed parameters: the columns are "timestamp" (UTC wall-clock, see StorageConventions); Npgsql maps DateTime2 there.
        using var command = db.Database.GetDbConnection().CreateCommand();
        DbParameter Parameter(string parameterName, object value, DbType type)
        {
            var p = command.CreateParameter();
            (p.ParameterName, p.Value, p.DbType) = (parameterName, value, type);
            return p;
        }
        return db.Database.ExecuteSqlRawAsync(sql, [
            Parameter("status", OutboxRow.Pending, DbType.String), Parameter("now", PgTimestamp.ToColumn(now), DbType.DateTime2),
            Parameter("claim", claim, DbType.String), Parameter("until", PgTimestamp.ToColumn(until), DbType.DateTime2),
            Parameter("limit", Options.BatchSize, DbType.Int32)], CancellationToken.None);
    }

    private async Task SendAsync(OutboxRow row, string claim, CancellationToken ct)
    {
        if (row.Kind == OutboxRow.DecoyKind)
        {
            await UpdateAsync(row, claim, q => q.ExecuteDeleteAsync());
            return;
        }
        var message = row.Payload is null ? null : SymmetricCipher.TryDecrypt(auth.Secrets, row.Payload) is { } json ? MessagePayload.Read(json) : null;
        if (message is null)
        {
            await DeadLetterAsync(row, claim, "the message opens with none of the configured secrets", "unreadable_payload");
            return;
        }

        var done = (row.DeliveredTo ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        Exception? failure = null;
        var cut = false;
        var parent = ActivityContext.TryParse(row.TraceParent, null, out var queuedBy) ? queuedBy : default;
        foreach (var remote in messenger.Remote.Where(r => !done.Contains(r.Name)))
        {
            try
            {
                ct.ThrowIfCancellationRequested();
                var error = await messenger.Delivery.DeliverAsync(remote.Sender, message, parent, ct);
                if (error is null) done.Add(remote.Name);
                else failure ??= error;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                cut = true;
                break;
            }
        }
        var deliveredTo = string.Join('\n', done);

        if (cut && failure is null)
        {
            // Cut by shutdown: not a failure of the message.
            await ReleaseAsync(row, claim, deliveredTo);
            return;
        }
        if (failure is null)
        {
            await UpdateAsync(row, claim, q => q.ExecuteDeleteAsync());
            Telemetry.CoreLog.MessageDelivered(logger, row.Id, row.Kind, row.Attempts);
            return;
        }

        var reason = Describe(failure);
        var errorType = Telemetry.AuthTelemetry.ErrorTypeOf(failure);
        if (row.Attempts >= Options.MaxAttempts)
        {
            await DeadLetterAsync(row, claim, reason, errorType, deliveredTo);
            return;
        }
        var now = auth.Now;
        var next = now.AddSeconds(BackoffSeconds(row.Attempts));
        await UpdateAsync(row, claim, q => q.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.AvailableAt, next).SetProperty(r => r.ClaimedBy, (string?)null).SetProperty(r => r.ClaimedUntil, (DateTime?)null)
            .SetProperty(r => r.LastError, reason).SetProperty(r => r.DeliveredTo, deliveredTo).SetProperty(r => r.UpdatedAt, now)));
        Telemetry.CoreLog.MessageRetryScheduled(logger, row.Id, row.Kind, row.Attempts, Options.MaxAttempts, errorType, next);
    }

    /// <summary>Gives a claimed row back, its attempt not counted, for whichever instance looks next.</summary>
    private Task ReleaseAsync(OutboxRow row, string claim, string? deliveredTo) =>
        UpdateAsync(row, claim, q => q.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.ClaimedBy, (string?)null).SetProperty(r => r.ClaimedUntil, (DateTime?)null)
            .SetProperty(r => r.Attempts, r => r.Attempts - 1).SetProperty(r => r.DeliveredTo, deliveredTo)));

    /// <summary>Seconds to wait after the <paramref name="attempts"/>th failure: RetryDelay, doubling, at most MaxRetryDelay.</summary>
    internal double BackoffSeconds(int attempts) =>
        Math.Min(Options.MaxRetryDelay, Options.RetryDelay * Math.Pow(2, Math.Max(0, attempts - 1)));

    /// <summary>
    /// Gives up: the row stays for the operator, without the message (its link or code), with the last error; an error is
    /// logged with the error's type only (a server's message may quote the address).
    /// </summary>
    private async Task DeadLetterAsync(OutboxRow row, string claim, string reason, string errorType, string? deliveredTo = null)
    {
        var now = auth.Now;
        await UpdateAsync(row, claim, q => q.ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, OutboxRow.Dead).SetProperty(r => r.Payload, (string?)null)
            .SetProperty(r => r.ClaimedBy, (string?)null).SetProperty(r => r.ClaimedUntil, (DateTime?)null)
            .SetProperty(r => r.LastError, reason).SetProperty(r => r.DeliveredTo, deliveredTo ?? row.DeliveredTo).SetProperty(r => r.UpdatedAt, now)));
        Telemetry.CoreLog.MessageDeadLettered(logger, row.Id, row.Kind, row.Attempts, errorType);
    }

    /// <summary>Runs a write on the row, only while this dispatcher's claim on it stands.</summary>
    private async Task UpdateAsync(OutboxRow row, string claim, Func<IQueryable<OutboxRow>, Task<int>> write)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        await write(db.Set<OutboxRow>().Where(r => r.Id == row.Id && r.ClaimedBy == claim));
    }

    /// <summary>Drops dead letters past their retention, at most once an hour.</summary>
    private async Task CleanUpAsync(AuthDbContext db)
    {
        var now = auth.Now;
        if (now < _nextCleanup) return;
        _nextCleanup = now.AddHours(1);
        var before = now.AddDays(-Options.DeadLetterRetentionDays);
        await db.Set<OutboxRow>().Where(r => r.Status == OutboxRow.Dead && r.UpdatedAt < before).ExecuteDeleteAsync();
    }

    private static string Describe(Exception e)
    {
        var text = $"{e.GetType().Name}: {e.Message}";
        return text.Length <= 500 ? text : text[..500];
    }
}
