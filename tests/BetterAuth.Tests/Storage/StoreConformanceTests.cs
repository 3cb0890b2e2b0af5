using System.Globalization;
using BetterAuth.Core.Otp;
using BetterAuth.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Tests.Storage;

/// <summary>
/// Every store operation the features use, run unchanged against each storage configuration (SQLite, PostgreSQL,
/// each with and without Redis): see <c>StorageProviders.cs</c> for the concrete classes.
/// </summary>
public abstract class StoreConformanceTests
{
    protected abstract Support.TestStorage Storage { get; }

    private Task<StorageHost> StartAsync() => StorageHost.StartAsync(Storage);

    [Fact]
    public async Task Users_RoundTripEveryColumnType_AndFindByEmailOrId()
    {
        await using var s = await StartAsync();
        var stamp = new DateTime(2031, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc);
        var created = await s.NewUserAsync("Mixed.Case@Example.com", u =>
        {
            u[StorageProbePlugin.Flag] = true;
            u[StorageProbePlugin.Stamp] = stamp;
            u[StorageProbePlugin.Count] = 9_007_199_254_740_993L;
            u[StorageProbePlugin.Label] = "ünïcødé ✓ 'quoted' \"double\"";
        });

        var byEmail = await s.Store().FindUserByEmailAsync("MIXED.case@example.COM");
        Assert.NotNull(byEmail);
        Assert.Equal("mixed.case@example.com", byEmail.Email);
        Assert.Equal(created.Id, byEmail.Id);
        Assert.Equal(true, byEmail[StorageProbePlugin.Flag]);
        var readStamp = Assert.IsType<DateTime>(byEmail[StorageProbePlugin.Stamp]);
        Assert.Equal(stamp, readStamp);
        Assert.Equal(DateTimeKind.Utc, readStamp.Kind);
        Assert.Equal(9_007_199_254_740_993L, byEmail[StorageProbePlugin.Count]);
        Assert.Equal("ünïcødé ✓ 'quoted' \"double\"", byEmail[StorageProbePlugin.Label]);
        Assert.Equal(s.Now, byEmail.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, byEmail.CreatedAt.Kind);
        Assert.False(byEmail.EmailVerified);

        var byId = await s.Store().FindUserByIdAsync(created.Id);
        Assert.Equal(created.Email, byId!.Email);
        Assert.Null(await s.Store().FindUserByIdAsync("missing"));
        Assert.Null(await s.Store().FindUserByEmailAsync("nobody@example.com"));
    }

    [Fact]
    public async Task UpdateUser_SavesChanges_AndReturnsNullForAMissingUser()
    {
        await using var s = await StartAsync();
        var user = await s.NewUserAsync("update@example.com");
        var updated = await s.Store().UpdateUserAsync(user.Id, u => { u.EmailVerified = true; u[StorageProbePlugin.Flag] = false; u.Name = "Renamed"; });
        Assert.True(updated!.EmailVerified);
        var read = await s.Store().FindUserByIdAsync(user.Id);
        Assert.True(read!.EmailVerified);
        Assert.Equal("Renamed", read.Name);
        Assert.Equal(false, read[StorageProbePlugin.Flag]);
        Assert.Null(await s.Store().UpdateUserAsync("missing", u => u.Name = "x"));
    }

    [Fact]
    public async Task UniqueViolations_AreMapped_AndLeaveTheContextUsable()
    {
        await using var s = await StartAsync();
        await s.NewUserAsync("taken@example.com", u => u[StorageProbePlugin.Label] = "same");
        var store = s.Store();
        var twin = store.NewUser("taken@example.com", "Twin");
        await Assert.ThrowsAsync<UniqueViolationException>(() => store.CreateUserAsync(twin, store.NewCredentialAccount(twin.Id, "h")));
        // The same store (same database context, same connection) goes on working after the failed insert.
        var other = store.NewUser("other@example.com", "Other");
        other[StorageProbePlugin.Label] = "same";
        await Assert.ThrowsAsync<UniqueViolationException>(() => store.CreateUserAsync(other));
        other[StorageProbePlugin.Label] = "different";
        await store.CreateUserAsync(other);
        Assert.NotNull(await s.Store().FindUserByEmailAsync("other@example.com"));
        // The failed user's account was not written either: the user and its account are one transaction.
        Assert.Empty(await s.Store().FindAccountsAsync(twin.Id));
    }

    [Fact]
    public async Task Accounts_CredentialPassword_CreatedAndUpdated()
    {
        await using var s = await StartAsync();
        var user = await s.NewUserAsync("account@example.com");
        Assert.Equal("hash:account@example.com", (await s.Store().FindCredentialAccountAsync(user.Id))!.Password);
        await s.Store().SetPasswordAsync(user.Id, "second-hash");
        var accounts = await s.Store().FindAccountsAsync(user.Id);
        Assert.Equal("second-hash", Assert.Single(accounts).Password);

        // A user without a credential account gets one from a reset.
        var store = s.Store();
        var social = await store.CreateUserAsync(store.NewUser("social@example.com", "Social"));
        Assert.Null(await s.Store().FindCredentialAccountAsync(social.Id));
        await s.Store().SetPasswordAsync(social.Id, "fresh-hash");
        Assert.Equal("fresh-hash", (await s.Store().FindCredentialAccountAsync(social.Id))!.Password);
    }

    [Fact]
    public async Task Sessions_CreateFindExtendAndSetAField()
    {
        await using var s = await StartAsync();
        var user = await s.NewUserAsync("session@example.com", u => u[StorageProbePlugin.Flag] = true);
        var created = await s.Store().CreateSessionAsync(user.Id, customize: x => x[StorageProbePlugin.Note] = "first");
        Assert.Equal(32, created.Token.Length);

        var found = await s.Store().FindSessionAsync(created.Token);
        Assert.NotNull(found);
        Assert.Equal(created.Id, found.Session.Id);
        Assert.Equal(s.Now.AddDays(7), found.Session.ExpiresAt);
        Assert.Equal(DateTimeKind.Utc, found.Session.ExpiresAt.Kind);
        Assert.Equal("first", found.Session[StorageProbePlugin.Note]);
        Assert.Equal("127.0.0.1", found.Session.IpAddress);
        Assert.Equal(user.Id, found.User.Id);
        Assert.Equal(true, found.User[StorageProbePlugin.Flag]);
        Assert.Null(await s.Store().FindSessionAsync("no-such-token"));

        var later = s.Now.AddDays(10);
        Assert.True(await s.Store().ExtendSessionAsync(found.Session, later, s.Now.AddHours(1)));
        Assert.Equal(later, (await s.Store().FindSessionAsync(created.Token))!.Session.ExpiresAt);

        Assert.Equal(1, await s.Store().SetSessionFieldAsync(created.Token, StorageProbePlugin.Note, "second"));
        Assert.Equal("second", (await s.Store().FindSessionAsync(created.Token))!.Session[StorageProbePlugin.Note]);

        // A user update shows in the session lookup (a cache must not serve the old user).
        await s.Store().UpdateUserAsync(user.Id, u => u.Name = "Changed");
        Assert.Equal("Changed", (await s.Store().FindSessionAsync(created.Token))!.User.Name);
    }

    [Fact]
    public async Task Sessions_ListAndDelete_OneOthersAndAll()
    {
        await using var s = await StartAsync();
        var user = await s.NewUserAsync("many@example.com");
        var a = await s.Store().CreateSessionAsync(user.Id);
        var b = await s.Store().CreateSessionAsync(user.Id);
        var c = await s.Store().CreateSessionAsync(user.Id, dontRemember: true);
        foreach (var t in new[] { a, b, c }) Assert.NotNull(await s.Store().FindSessionAsync(t.Token));
        Assert.Equal(3, (await s.Store().ListSessionsAsync(user.Id)).Count);

        Assert.Equal(1, await s.Store().DeleteSessionAsync(b.Token));
        Assert.Null(await s.Store().FindSessionAsync(b.Token));
        Assert.Equal(0, await s.Store().DeleteSessionAsync(b.Token));

        // Other sessions: only live ones go; c (1 day) has expired by then and stays, as Better Auth leaves it.
        s.Host.Clock.Advance(TimeSpan.FromDays(2));
        var d = await s.Store().CreateSessionAsync(user.Id);
        Assert.Equal(1, await s.Store().DeleteOtherSessionsAsync(user.Id, d.Token, s.Now));
        Assert.Null(await s.Store().FindSessionAsync(a.Token));
        Assert.NotNull(await s.Store().FindSessionAsync(d.Token));
        Assert.Equal(new[] { c.Token, d.Token }.Order(), (await s.Store().ListSessionsAsync(user.Id)).Select(x => x.Token).Order());

        Assert.Equal(2, await s.Store().DeleteSessionsAsync(user.Id));
        Assert.Null(await s.Store().FindSessionAsync(d.Token));
        Assert.Empty(await s.Store().ListSessionsAsync(user.Id));
    }

    [Fact]
    public async Task DeleteUser_RemovesSessionsAccountsAndPluginRows()
    {
        await using var s = await StartAsync();
        var user = await s.NewUserAsync("gone@example.com");
        var keep = await s.NewUserAsync("kept@example.com");
        var session = await s.Store().CreateSessionAsync(user.Id);
        var kept = await s.Store().CreateSessionAsync(keep.Id);
        Assert.NotNull(await s.Store().FindSessionAsync(session.Token));
        await s.Store().DeleteUserAsync(user);
        Assert.Null(await s.Store().FindUserByIdAsync(user.Id));
        Assert.Null(await s.Store().FindSessionAsync(session.Token));
        Assert.Empty(await s.Store().FindAccountsAsync(user.Id));
        Assert.NotNull(await s.Store().FindSessionAsync(kept.Token));
        Assert.Single(await s.Store().FindAccountsAsync(keep.Id));
    }

    [Fact]
    public async Task Verifications_NewestWins_ExpiredAreSwept_ConsumedOnce()
    {
        await using var s = await StartAsync();
        await s.Store().CreateVerificationAsync("id-1", "old", s.Now.AddMinutes(5));
        s.Host.Clock.Advance(TimeSpan.FromSeconds(1));
        await s.Store().CreateVerificationAsync("id-1", "new", s.Now.AddMinutes(5));
        await s.Store().CreateVerificationAsync("short", "v", s.Now.AddSeconds(30));
        Assert.Equal("new", (await s.Store().FindVerificationAsync("id-1"))!.Value);

        s.Host.Clock.Advance(TimeSpan.FromMinutes(1));
        // The expired row is still returned to the read that sweeps it, then gone.
        Assert.Equal("v", (await s.Store().FindVerificationAsync("short"))!.Value);
        Assert.Null(await s.Store().FindVerificationAsync("short"));

        Assert.Equal("new", (await s.Store().ConsumeVerificationAsync("id-1"))!.Value);
        await s.Store().DeleteVerificationsAsync("id-1");

        // Concurrent uses of one token: exactly one request gets it.
        await s.Store().CreateVerificationAsync("once", "token", s.Now.AddMinutes(5));
        var winners = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => s.Store().ConsumeVerificationAsync("once")));
        Assert.Equal("token", Assert.Single(winners, w => w is not null)!.Value);

        var row = await s.Store().CreateVerificationAsync("id-2", "a", s.Now.AddMinutes(5));
        Assert.Equal(1, await s.Store().UpdateVerificationValueAsync(row.Id, "b"));
        Assert.Equal("b", (await s.Store().FindVerificationAsync("id-2"))!.Value);
        Assert.Equal(1, await s.Store().DeleteVerificationsAsync("id-2"));
        Assert.Null(await s.Store().ConsumeVerificationAsync("id-2"));
    }

    [Fact]
    public async Task OneTimeCodes_CountFailures_ExpireAndAreUsedOnce()
    {
        await using var s = await StartAsync();
        await OneTimeCodes.IssueAsync(s.Context(), "otp-a", "123456", TimeSpan.FromMinutes(5), ':');
        Assert.Equal(OtpResult.Invalid, await OneTimeCodes.VerifyAsync(s.Context(), "otp-a", "000000", 3, ':'));
        Assert.Equal(OtpResult.Invalid, await OneTimeCodes.VerifyAsync(s.Context(), "otp-a", "000001", 3, ':'));
        Assert.Equal("123456:2", (await s.Store().FindVerificationAsync("otp-a"))!.Value);
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => OneTimeCodes.VerifyAsync(s.Context(), "otp-a", "123456", 3, ':')));
        Assert.Single(results, r => r == OtpResult.Ok);
        Assert.Equal(OtpResult.NotFound, await OneTimeCodes.VerifyAsync(s.Context(), "otp-a", "123456", 3, ':'));

        await OneTimeCodes.IssueAsync(s.Context(), "otp-b", "654321", TimeSpan.FromMinutes(5), ':');
        for (var i = 0; i < 3; i++) await OneTimeCodes.VerifyAsync(s.Context(), "otp-b", "111111", 3, ':');
        Assert.Equal(OtpResult.TooManyAttempts, await OneTimeCodes.VerifyAsync(s.Context(), "otp-b", "654321", 3, ':'));

        await OneTimeCodes.IssueAsync(s.Context(), "otp-c", "222222", TimeSpan.FromMinutes(5), ':');
        s.Host.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(OtpResult.Expired, await OneTimeCodes.VerifyAsync(s.Context(), "otp-c", "222222", 3, ':'));
    }

    [Fact]
    public async Task OneTimeCodes_ConcurrentWrongGuesses_AreEachCounted()
    {
        // Every guess of a burst reads the same failure count; were only one increment to stick, the burst would have
        // many codes compared while the count rose by one (brute force past the attempt limit).
        await using var s = await StartAsync();
        await OneTimeCodes.IssueAsync(s.Context(), "otp-burst", "123456", TimeSpan.FromMinutes(5), ':');
        var guesses = Enumerable.Range(0, 20).Select(i => (100000 + i).ToString(CultureInfo.InvariantCulture));
        var results = await Task.WhenAll(guesses.Select(g => OneTimeCodes.VerifyAsync(s.Context(), "otp-burst", g, 3, ':')));
        Assert.Equal(3, results.Count(r => r == OtpResult.Invalid));
        Assert.All(results.Where(r => r != OtpResult.Invalid), r => Assert.True(r is OtpResult.TooManyAttempts or OtpResult.NotFound, r.ToString()));
        Assert.NotEqual(OtpResult.Ok, await OneTimeCodes.VerifyAsync(s.Context(), "otp-burst", "123456", 3, ':'));
    }

    [Fact]
    public async Task Transactions_RollBackEveryWrite()
    {
        await using var s = await StartAsync();
        var ctx = s.Context();
        await using (var tx = await ctx.Db.Database.BeginTransactionAsync())
        {
            await ctx.Store.CreateUserAsync(ctx.Store.NewUser("rolled@example.com", "Rolled"));
            await ctx.Store.CreateVerificationAsync("rolled", "v", s.Now.AddMinutes(1));
            Assert.NotNull(await ctx.Store.FindUserByEmailAsync("rolled@example.com"));
            await tx.RollbackAsync();
        }
        Assert.Null(await s.Store().FindUserByEmailAsync("rolled@example.com"));
        Assert.Null(await s.Store().FindVerificationAsync("rolled"));
    }

    [Fact]
    public async Task InputTheDatabaseCannotHold_IsABadRequest_NeverA500()
    {
        await using var s = await StartAsync();
        var client = s.Host.Client();
        // PostgreSQL text holds no U+0000: lookups find nothing, writes keep a replacement character.
        var nul = await client.PostAsync("/sign-up/email", new { email = "nul@example.com", password = "password123", name = "a\u0000b" });
        Assert.Equal(200, nul.Status);
        Assert.Equal(401, (await client.GetAsync("/verify-email?token=%00abc")).Status);
        Assert.Equal(400, (await client.PostAsync("/sign-in/email", new { email = "nul\u0000@example.com", password = "password123" })).Status);
        // A random multi-kilobyte email is too large for a PostgreSQL btree index entry; SQLite takes it.
        var huge = string.Concat(Enumerable.Range(0, 6000).Select(_ => (char)('a' + Random.Shared.Next(26)))) + "@example.com";
        var signUp = await client.PostAsync("/sign-up/email", new { email = huge, password = "password123", name = "Huge" });
        Assert.Equal(Storage.Postgres ? 400 : 200, signUp.Status);
        if (Storage.Postgres) Assert.Equal("VALIDATION_ERROR", signUp.Code);
    }

    [Fact]
    public async Task ConcurrentSignUps_OfOneEmail_MakeOneUser()
    {
        await using var s = await StartAsync();
        var attempts = Enumerable.Range(0, 8).Select(async i =>
        {
            var store = s.Store();
            var user = store.NewUser("race@example.com", $"Racer {i}");
            try { await store.CreateUserAsync(user, store.NewCredentialAccount(user.Id, "h")); return true; }
            catch (UniqueViolationException) { return false; }
        });
        Assert.Single(await Task.WhenAll(attempts), won => won);
        var count = await s.Host.WithDbAsync(db => db.Users.CountAsync(u => u.Email == "race@example.com"));
        Assert.Equal(1, count);
    }
}
