using BetterAuth.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace BetterAuth.Tests.Support;

/// <summary>
/// A write transaction a test holds open on a connection of its own: a concurrent request caught midway through its
/// write. Race tests hold one, start the request that must wait for it, and commit it to let that request go on.
/// </summary>
public sealed class HeldTransaction : IAsyncDisposable
{
    /// <summary>How long a request that should be waiting is given to (wrongly) finish.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(400);

    private readonly AsyncServiceScope _scope;
    private readonly Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction _tx;

    private HeldTransaction(AsyncServiceScope scope, AuthDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx) =>
        (_scope, Db, _tx) = (scope, db, tx);

    public AuthDbContext Db { get; }

    public static async Task<HeldTransaction> BeginAsync(AuthTestHost host)
    {
        var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AuthDbContext>();
        return new HeldTransaction(scope, db, await db.Database.BeginTransactionAsync());
    }

    public Task CommitAsync() => _tx.CommitAsync();

    /// <summary>Asserts <paramref name="task"/> is still waiting after a while (<paramref name="patience"/>, default 400 ms).</summary>
    public static async Task AssertWaitsAsync(Task task, string what, TimeSpan? patience = null)
    {
        await Task.WhenAny(task, Task.Delay(patience ?? Patience));
        Assert.False(task.IsCompleted, what + " finished while it should wait");
    }

    public async ValueTask DisposeAsync()
    {
        await _tx.DisposeAsync();
        await _scope.DisposeAsync();
    }
}
