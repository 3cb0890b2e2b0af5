using BetterAuth.Core.Storage;
using BetterAuth.Core.Users;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Storage;

/// <summary>
/// The storage's concurrency contract, once per storage configuration (see <c>StorageProviders.cs</c>): no write waits
/// for an unrelated one on PostgreSQL, each "check, then write" flow of the store holds under a concurrent writer.
/// The flows are raced deterministically: the first writer's transaction is held open while the second one runs.
/// </summary>
public abstract class ConcurrencyConformanceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    protected abstract Support.TestStorage Storage { get; }

    private Task<StorageHost> StartAsync() => StorageHost.StartAsync(Storage);

    private static Task AssertWaitsAsync(Task task, string what) => Support.HeldTransaction.AssertWaitsAsync(task, what);

    [Fact]
    public async Task Transactions_UnrelatedWriters_WaitForEachOtherOnlyOnSqlite()
    {
        // No lock for every write: on PostgreSQL a write of another user goes through while a transaction is open.
        // SQLite has a single writer, so there it waits (and that is what keeps its flows correct).
        await using var s = await StartAsync();
        var busy = await s.NewUserAsync("busy@example.com");
        var other = await s.NewUserAsync("other@example.com");
        var first = s.Context();
        var tx = await first.Db.Database.BeginTransactionAsync();
        await first.Store.UpdateUserAsync(busy.Id, u => u.Name = "Held");
        var second = s.Context();
        var unrelated = Task.Run(async () =>
        {
            await using var tx2 = await second.Db.Database.BeginTransactionAsync();
            await second.Store.UpdateUserAsync(other.Id, u => u.Name = "Unrelated");
            await second.Store.CreateVerificationAsync("unrelated", "v", s.Now.AddMinutes(1));
            await tx2.CommitAsync();
        });
        if (Storage.Postgres) await unrelated.WaitAsync(Deadline);
        else await AssertWaitsAsync(unrelated, "a second SQLite writer");
        Assert.Equal(Storage.Postgres, unrelated.IsCompletedSuccessfully);
        await tx.CommitAsync();
        await tx.DisposeAsync();
        await unrelated.WaitAsync(Deadline);
        Assert.Equal("Unrelated", (await s.Store().FindUserByIdAsync(other.Id))!.Name);
        Assert.Equal("Held", (await s.Store().FindUserByIdAsync(busy.Id))!.Name);
    }

    [Fact]
    public async Task Lock_SameKeyWaits_OtherKeysDoNot_AndNeedsATransaction()
    {
        await using var s = await StartAsync();
        var holder = s.Context();
        await Assert.ThrowsAsync<InvalidOperationException>(() => holder.Db.LockAsync("organization:a"));
        var tx = await holder.Db.Database.BeginTransactionAsync();
        await holder.Db.LockAsync("organization:a");

        Task Locking(string key) => Task.Run(async () =>
        {
            var ctx = s.Context();
            await using var own = await ctx.Db.Database.BeginTransactionAsync();
            await ctx.Db.LockAsync(key);
            await own.CommitAsync();
        });
        var same = Locking("organization:a");
        var other = Locking("organization:b");
        if (Storage.Postgres) await other.WaitAsync(Deadline);
        await AssertWaitsAsync(same, "a second holder of one key");
        await tx.CommitAsync();
        await tx.DisposeAsync();
        await Task.WhenAll(same, other).WaitAsync(Deadline);
    }

    [Fact]
    public async Task LockRow_HoldsUpdatesOfThatRow_NotOtherRows_NorNewSessionsOfTheUser()
    {
        await using var s = await StartAsync();
        var locked = await s.NewUserAsync("locked@example.com");
        var free = await s.NewUserAsync("free@example.com");
        var holder = s.Context();
        var tx = await holder.Db.Database.BeginTransactionAsync();
        await holder.Db.LockRowAsync<User>(u => u.Id, locked.Id);

        var lockedUpdate = Task.Run(() => s.Store().UpdateUserAsync(locked.Id, u => u.Name = "After"));
        var freeUpdate = Task.Run(() => s.Store().UpdateUserAsync(free.Id, u => u.Name = "Free"));
        var session = Task.Run(() => s.Store().CreateSessionAsync(locked.Id));
        if (Storage.Postgres) await Task.WhenAll(freeUpdate, session).WaitAsync(Deadline);
        await AssertWaitsAsync(lockedUpdate, "an update of the locked row");
        await tx.CommitAsync();
        await tx.DisposeAsync();
        await Task.WhenAll(lockedUpdate, freeUpdate, session).WaitAsync(Deadline);
        Assert.Equal("After", (await s.Store().FindUserByIdAsync(locked.Id))!.Name);
    }

    [Fact]
    public async Task DeleteAccount_TwoUnlinksAtOnce_KeepTheLastAccount()
    {
        await using var s = await StartAsync();
        var user = await s.NewUserAsync("unlink@example.com");
        var social = await s.Store().CreateAccountAsync(SocialAccount(s, user.Id, "gh-1"));
        var credential = (await s.Store().FindCredentialAccountAsync(user.Id))!;

        var first = s.Context();
        var tx = await first.Db.Database.BeginTransactionAsync();
        Assert.True(await first.Store.DeleteAccountAsync(social.Id, user.Id, allowLast: false));
        var second = Task.Run(() => s.Store().DeleteAccountAsync(credential.Id, user.Id, allowLast: false));
        await AssertWaitsAsync(second, "the second unlink");
        await tx.CommitAsync();
        await tx.DisposeAsync();
        Assert.False(await second.WaitAsync(Deadline));
        Assert.Single(await s.Store().FindAccountsAsync(user.Id));
    }

    [Fact]
    public async Task SetPassword_TwoResetsAtOnce_MakeOneCredentialAccount()
    {
        await using var s = await StartAsync();
        var store = s.Store();
        var user = await store.CreateUserAsync(store.NewUser("social-only@example.com", "Social"), SocialAccount(s, "", "gh-2"));

        var first = s.Context();
        var tx = await first.Db.Database.BeginTransactionAsync();
        await first.Store.SetPasswordAsync(user.Id, "hash-1");
        var second = Task.Run(() => s.Store().SetPasswordAsync(user.Id, "hash-2"));
        await AssertWaitsAsync(second, "the second reset");
        await tx.CommitAsync();
        await tx.DisposeAsync();
        await second.WaitAsync(Deadline);
        var credentials = (await s.Store().FindAccountsAsync(user.Id)).Where(a => a.ProviderId == Account.CredentialProvider).ToList();
        Assert.Equal("hash-2", Assert.Single(credentials).Password);
    }

    [Fact]
    public async Task CreateAccount_OneProviderAccountLinkedTwiceAtOnce_IsLinkedOnce()
    {
        await using var s = await StartAsync();
        var one = await s.NewUserAsync("one@example.com");
        var two = await s.NewUserAsync("two@example.com");

        var first = s.Context();
        var tx = await first.Db.Database.BeginTransactionAsync();
        await first.Store.CreateAccountAsync(SocialAccount(s, one.Id, "gh-shared"));
        var second = Task.Run(() => s.Store().CreateAccountAsync(SocialAccount(s, two.Id, "gh-shared")));
        await AssertWaitsAsync(second, "the second link");
        await tx.CommitAsync();
        await tx.DisposeAsync();
        await Assert.ThrowsAsync<UniqueViolationException>(() => second.WaitAsync(Deadline));
        var linked = await s.Host.WithDbAsync(db => db.Accounts.Where(a => a.AccountId == "gh-shared").ToListAsync());
        Assert.Equal(one.Id, Assert.Single(linked).UserId);
    }

    [Fact]
    public async Task AdoptUnverifiedAccount_AfterAConcurrentVerification_LeavesTheAccountAsItIs()
    {
        // A magic-link sign-in takes over an unverified account (dropping its password); a verification that committed
        // first proved the address, and then the account must keep its password.
        await using var s = await StartAsync();
        var user = await s.NewUserAsync("adopt@example.com");

        var verifier = s.Context();
        var tx = await verifier.Db.Database.BeginTransactionAsync();
        await verifier.Store.UpdateUserAsync(user.Id, u => u.EmailVerified = true);
        var adopt = Task.Run(() => EmailOwnership.AdoptAsync(s.Context(), user));
        await AssertWaitsAsync(adopt, "the take-over");
        await tx.CommitAsync();
        await tx.DisposeAsync();
        Assert.True((await adopt.WaitAsync(Deadline))!.EmailVerified);
        Assert.NotNull(await s.Store().FindCredentialAccountAsync(user.Id));
    }

    private static Account SocialAccount(StorageHost s, string userId, string providerAccountId) => new()
    {
        Id = BetterAuth.Core.Crypto.RandomStrings.Id(),
        AccountId = providerAccountId,
        ProviderId = "github",
        UserId = userId,
        CreatedAt = s.Now,
        UpdatedAt = s.Now,
    };
}
