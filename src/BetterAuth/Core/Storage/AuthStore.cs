using System.Data.Common;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Events;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Core.Storage;

/// <summary>
/// Better Auth's internal adapter: the reads and writes core flows make, with the lifecycle hooks plugins
/// registered run around them. Every multi-row write happens in one SaveChanges (one transaction). Plugins write
/// core tables (user, session, account, verification) through it only, so cache invalidation and hooks always run.
/// It knows nothing of HTTP: what it needs of its caller (address, user agent, operation, events) comes from its
/// <see cref="AuthStoreContext"/>, so work outside a request uses it as a request does.
/// Reads stop when <see cref="AuthStoreContext.Aborted"/> fires; writes are not cut short by it (a flow stopped between
/// its writes, or between a write and the cache invalidation after it, would leave a half-done change behind).
/// </summary>
public sealed class AuthStore
{
    private readonly AuthStoreContext ctx;

    /// <summary>The store for one caller; <see cref="AuthStoreContext.Store"/> gives the one of a context.</summary>
    public AuthStore(AuthStoreContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ctx = context;
    }

    private AuthDbContext Db => ctx.Db;
    private AuthRuntime Auth => ctx.Auth;
    private CancellationToken Aborted => ctx.Aborted;
    /// <summary>The shared session cache, if any: every change to a session or its user below drops its entries.</summary>
    private ISessionCache? Cache => ctx.Auth.SessionCache;

    // ---- users ------------------------------------------------------------------------------------

    /// <summary>The user with this email (compared in lower case), or null.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1862", Justification = "EF Core query: the email is lowered here and sent as a parameter against the stored lower-case column; string.Equals with a StringComparison cannot be translated to SQL.")]
    public Task<User?> FindUserByEmailAsync(string email) =>
        Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email.ToLowerInvariant(), Aborted);

    /// <summary>The user with this id, or null.</summary>
    public Task<User?> FindUserByIdAsync(string id) =>
        Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, Aborted);

    /// <summary>A new user row with ids, timestamps and every plugin column's default filled in (not yet saved).</summary>
    public User NewUser(string email, string name)
    {
        var now = Auth.Now;
        var user = new User { Id = RandomStrings.Id(), Email = email.ToLowerInvariant(), Name = name, CreatedAt = now, UpdatedAt = now };
        foreach (var f in Auth.Registry.Schema.UserFields) user[f.Name] = f.CreateDefault;
        return user;
    }

    /// <summary>Saves a user and, in the same transaction, its first account. A taken email surfaces as <see cref="UniqueViolationException"/>.</summary>
    public async Task<User> CreateUserAsync(User user, Account? account = null)
    {
        foreach (var l in ctx.Lifecycles) await l.OnUserCreatingAsync(ctx, user);
        Db.Users.Add(user);
        if (account is not null)
        {
            account.UserId = user.Id;
            Db.Accounts.Add(account);
        }
        await SaveAsync();
        foreach (var l in ctx.Lifecycles) await l.OnUserCreatedAsync(ctx, user);
        ctx.Raise(new UserCreatedEvent(user));
        return user;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored user and saves it, with the update hooks around the write;
    /// returns the updated row, or null when it is gone.
    /// </summary>
    public async Task<User?> UpdateUserAsync(string userId, Action<User> change)
    {
        var user = await Db.Users.FirstOrDefaultAsync(u => u.Id == userId);
        if (user is null) return null;
        var wasVerified = user.EmailVerified;
        try
        {
            change(user);
            foreach (var l in ctx.Lifecycles) await l.OnUserUpdatingAsync(ctx, user);
            await SaveAsync();
        }
        finally
        {
            // A refused or failed update must not linger in the change tracker for a later save to write.
            Db.Entry(user).State = EntityState.Detached;
        }
        if (Cache is { } cache)
        {
            var tokens = await SessionTokensAsync(userId);
            await ForgetNowAndAfterTransactionAsync(() => cache.ForgetUserAsync(userId, tokens));
        }
        foreach (var l in ctx.Lifecycles) await l.OnUserUpdatedAsync(ctx, user);
        if (!wasVerified && user.EmailVerified) ctx.Raise(new EmailVerifiedEvent(user));
        return user;
    }

    // ---- accounts ---------------------------------------------------------------------------------

    /// <summary>A new email-and-password account row for a user and password hash.</summary>
    public Account NewCredentialAccount(string userId, string passwordHash)
    {
        var now = Auth.Now;
        return new Account
        {
            Id = RandomStrings.Id(),
            AccountId = userId,
            ProviderId = Account.CredentialProvider,
            UserId = userId,
            Password = passwordHash,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    /// <summary>A user's accounts.</summary>
    public Task<List<Account>> FindAccountsAsync(string userId) =>
        Db.Accounts.AsNoTracking().Where(a => a.UserId == userId).ToListAsync(Aborted);

    /// <summary>A user's email-and-password account, or null.</summary>
    public Task<Account?> FindCredentialAccountAsync(string userId) =>
        Db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId && a.ProviderId == Account.CredentialProvider && a.Password != null, Aborted);

    /// <summary>The account a provider's user id is linked through, if any.</summary>
    public Task<Account?> FindAccountAsync(string accountId, string providerId) =>
        Db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.AccountId == accountId && a.ProviderId == providerId, Aborted);

    /// <summary>
    /// Links an account (a social login) to an existing user. A provider account already linked (to anyone) surfaces as
    /// <see cref="UniqueViolationException"/>. Guarantee: a provider's account is linked once, also when two callbacks
    /// link it at once: the look-up and the insert hold that account's lock (Better Auth's schema has no unique index on
    /// it, and databases it made may hold duplicates).
    /// </summary>
    public async Task<Account> CreateAccountAsync(Account account)
    {
        return await InTransactionAsync(async () =>
        {
            await Db.LockAsync($"account:{account.ProviderId}:{account.AccountId}");
            if (await Db.Accounts.AnyAsync(a => a.AccountId == account.AccountId && a.ProviderId == account.ProviderId))
                throw new UniqueViolationException(new InvalidOperationException($"The {account.ProviderId} account is linked already."));
            Db.Accounts.Add(account);
            await SaveAsync();
            Db.Entry(account).State = EntityState.Detached;
            return account;
        });
    }

    /// <summary>Applies <paramref name="change"/> to the stored account (new tokens) and saves it with a fresh updatedAt.</summary>
    public async Task<Account?> UpdateAccountAsync(string id, Action<Account> change)
    {
        var account = await Db.Accounts.FirstOrDefaultAsync(a => a.Id == id);
        if (account is null) return null;
        change(account);
        account.UpdatedAt = Auth.Now;
        await SaveAsync();
        Db.Entry(account).State = EntityState.Detached;
        return account;
    }

    /// <summary>
    /// Deletes an account unless it is the user's last one (or <paramref name="allowLast"/>); returns whether it was deleted.
    /// Guarantee: two concurrent unlinks cannot leave a user with no way to sign in. The count is part of the delete's
    /// condition and runs under the user's row lock, so the second unlink counts after the first one's commit (one
    /// statement alone is not enough on PostgreSQL: each would count in its own snapshot, both seeing two accounts).
    /// </summary>
    public async Task<bool> DeleteAccountAsync(string id, string userId, bool allowLast)
    {
        if (allowLast) return await Db.Accounts.Where(a => a.Id == id).ExecuteDeleteAsync() == 1;
        return await InTransactionAsync(async () =>
        {
            await Db.LockRowAsync<User>(u => u.Id, userId);
            return await Db.Accounts.Where(a => a.Id == id && Db.Accounts.Count(o => o.UserId == userId) > 1).ExecuteDeleteAsync() == 1;
        });
    }

    /// <summary>
    /// Sets the user's credential password, creating the credential account when they have none (reset flows).
    /// Guarantee: one credential account per user: the look-up and the insert run under the user's row lock, so two
    /// resets at once cannot both find none and both create one.
    /// </summary>
    public async Task SetPasswordAsync(string userId, string passwordHash)
    {
        await InTransactionAsync(async () =>
        {
            await Db.LockRowAsync<User>(u => u.Id, userId);
            var account = await Db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId && a.ProviderId == Account.CredentialProvider);
            if (account is null)
            {
                Db.Accounts.Add(NewCredentialAccount(userId, passwordHash));
                await SaveAsync();
                Db.ChangeTracker.Clear();
            }
            else await UpdatePasswordAsync(account.Id, passwordHash);
            return true;
        });
        ctx.Raise(new PasswordResetEvent(userId));
        Telemetry.SecurityLog.PasswordReset(Auth.SecurityLogger, userId, ctx.Operation, ctx.IpAddress);
    }

    /// <summary>
    /// Replaces the password of the user's credential account, if they have one (an admin setting it); returns the rows
    /// changed. A user without one is left as is.
    /// </summary>
    internal Task<int> UpdateCredentialPasswordAsync(string userId, string passwordHash)
    {
        var now = Auth.Now;
        return Db.Accounts.Where(a => a.UserId == userId && a.ProviderId == Account.CredentialProvider)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Password, passwordHash).SetProperty(a => a.UpdatedAt, now));
    }

    /// <summary>Deletes the user's accounts: all of them, or those of one provider (<see cref="Account.CredentialProvider"/>).</summary>
    internal Task<int> DeleteAccountsAsync(string userId, string? providerId = null) =>
        (providerId is null ? Db.Accounts.Where(a => a.UserId == userId) : Db.Accounts.Where(a => a.UserId == userId && a.ProviderId == providerId))
            .ExecuteDeleteAsync();

    /// <summary>Stores a new password hash for a user.</summary>
    public Task<int> UpdatePasswordAsync(string accountId, string passwordHash)
    {
        var now = Auth.Now;
        return Db.Accounts.Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Password, passwordHash).SetProperty(a => a.UpdatedAt, now));
    }

    // ---- sessions ---------------------------------------------------------------------------------

    /// <summary>
    /// Creates a session row (7 days, or 1 day when the user is not remembered) after the lifecycle hooks accept it.
    /// A session that is not remembered is never extended past its first expiry (<see cref="Sessions.SessionExpiryCap"/>),
    /// also when <paramref name="customize"/> shortens it (impersonation).
    /// </summary>
    public async Task<Session> CreateSessionAsync(string userId, bool dontRemember = false, Action<Session>? customize = null) =>
        await InsertSessionAsync(await PrepareSessionAsync(userId, dontRemember, customize));

    /// <summary>
    /// The session <see cref="CreateSessionAsync"/> would store, once the session-creating hooks accepted it (they may
    /// refuse it, e.g. a ban); nothing is written yet. A sign-in asks its challenges between this and <see cref="InsertSessionAsync"/>.
    /// </summary>
    internal async Task<Session> PrepareSessionAsync(string userId, bool dontRemember = false, Action<Session>? customize = null)
    {
        var now = Auth.Now;
        var session = new Session
        {
            Id = RandomStrings.Id(),
            Token = RandomStrings.Id(),
            UserId = userId,
            CreatedAt = now,
            UpdatedAt = now,
            ExpiresAt = now.AddSeconds(dontRemember ? 60 * 60 * 24 : Auth.Options.Session.ExpiresIn),
            IpAddress = Auth.Options.Advanced.IpAddress.DisableIpTracking ? "" : ctx.IpAddress ?? "",
            UserAgent = ctx.UserAgent,
        };
        foreach (var f in Auth.Registry.Schema.SessionFields) session[f.Name] = f.CreateDefault;
        customize?.Invoke(session);
        if (dontRemember) Sessions.SessionExpiryCap.Fix(session);
        foreach (var l in ctx.Lifecycles) await l.OnSessionCreatingAsync(ctx, session);
        return session;
    }

    /// <summary>Stores a session from <see cref="PrepareSessionAsync"/> and runs the session-created hooks.</summary>
    internal async Task<Session> InsertSessionAsync(Session session)
    {
        Db.Sessions.Add(session);
        await SaveAsync();
        Db.Entry(session).State = EntityState.Detached;
        foreach (var l in ctx.Lifecycles) await l.OnSessionCreatedAsync(ctx, session);
        ctx.NoteSessionCreated(session);
        return session;
    }

    /// <summary>The session with this token and its user: from the shared cache when there is one, else one query.</summary>
    public Task<SessionWithUser?> FindSessionAsync(string token) =>
        Cache is null ? Auth.Reader.FindSessionAsync(Db, token, Aborted) : FindCachedSessionAsync(Cache, token);

    private async Task<SessionWithUser?> FindCachedSessionAsync(ISessionCache cache, string token)
    {
        var lookup = await cache.GetAsync(token);
        if (lookup.Json is not null && SessionCacheJson.Read(Auth, lookup.Json) is { } cached && cached.Session.Token == token)
            return cached;
        var found = await Auth.Reader.FindSessionAsync(Db, token, Aborted);
        if (found is not null && lookup.Lease is not null)
            await cache.FillAsync(token, lookup.Lease, found.User.Id, SessionCacheJson.Write(Auth, found), found.Session.ExpiresAt, Auth.Now);
        return found;
    }

    /// <summary>Moves the expiry forward, with the session update hooks around the write; false when the row was deleted meanwhile.</summary>
    public async Task<bool> ExtendSessionAsync(Session session, DateTime expiresAt, DateTime now)
    {
        var lifecycles = ctx.Lifecycles;
        var (previousExpiry, previousUpdate) = (session.ExpiresAt, session.UpdatedAt);
        session.ExpiresAt = expiresAt;
        session.UpdatedAt = now;
        int n;
        try
        {
            // The hooks see the session as it will be stored (and may still move its expiry, never past its cap).
            foreach (var l in lifecycles) await l.OnSessionUpdatingAsync(ctx, session);
            session.ExpiresAt = Sessions.SessionExpiryCap.Clamp(session, session.ExpiresAt);
            (expiresAt, now) = (session.ExpiresAt, session.UpdatedAt);
            n = await Db.Sessions.Where(s => s.Token == session.Token)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, expiresAt).SetProperty(x => x.UpdatedAt, now));
            if (Cache is { } cache) await ForgetNowAndAfterTransactionAsync(() => cache.ForgetAsync([session.Token]));
        }
        catch
        {
            (session.ExpiresAt, session.UpdatedAt) = (previousExpiry, previousUpdate);
            throw;
        }
        if (n == 0)
        {
            (session.ExpiresAt, session.UpdatedAt) = (previousExpiry, previousUpdate);
            return false;
        }
        foreach (var l in lifecycles) await l.OnSessionUpdatedAsync(ctx, session);
        return true;
    }

    /// <summary>
    /// Sets one column of a session row (a plugin's, e.g. the active organization) without touching updatedAt,
    /// as Better Auth's updateSession does, and drops the cached copy.
    /// </summary>
    public async Task<int> SetSessionFieldAsync<T>(string token, string field, T value)
    {
        var n = await Db.Sessions.Where(s => s.Token == token)
            .ExecuteUpdateAsync(s => s.SetProperty(x => EF.Property<T>(x, field), value));
        if (Cache is { } cache) await ForgetNowAndAfterTransactionAsync(() => cache.ForgetAsync([token]));
        return n;
    }

    /// <summary>A user's sessions, expired ones included.</summary>
    public Task<List<Session>> ListSessionsAsync(string userId) => Auth.Reader.ListSessionsAsync(Db, userId, Aborted);

    /// <summary>Ends the session with this token.</summary>
    public Task<int> DeleteSessionAsync(string token) => DeleteSessionAsync(token, expired: false);

    /// <summary>Ends the session with this token; <paramref name="expired"/> ones are not counted as revoked.</summary>
    internal async Task<int> DeleteSessionAsync(string token, bool expired)
    {
        var ownNew = ctx.NoteSessionsDeleted(s => s.Token == token);
        var n = await (Cache is null ? Db.Sessions.Where(s => s.Token == token).ExecuteDeleteAsync() : DeleteCachedSessionAsync(Cache, token));
        if (!expired) CountRevoked(n - ownNew);
        return n;
    }

    /// <summary>Ends every session of a user.</summary>
    public async Task<int> DeleteSessionsAsync(string userId)
    {
        var ownNew = ctx.NoteSessionsDeleted(s => s.UserId == userId);
        var rows = Db.Sessions.Where(s => s.UserId == userId);
        var n = await (Cache is null ? rows.ExecuteDeleteAsync() : DeleteCachedSessionsAsync(Cache, userId, rows));
        CountRevoked(n - ownNew);
        return n;
    }

    /// <summary>Deletes the user's other sessions that have not expired (revoke-other-sessions).</summary>
    public async Task<int> DeleteOtherSessionsAsync(string userId, string keepToken, DateTime now)
    {
        var ownNew = ctx.NoteSessionsDeleted(s => s.UserId == userId && s.Token != keepToken);
        var rows = Db.Sessions.Where(s => s.UserId == userId && s.Token != keepToken && s.ExpiresAt > now);
        var n = await (Cache is null ? rows.ExecuteDeleteAsync() : DeleteCachedSessionsAsync(Cache, userId, rows));
        CountRevoked(n - ownNew);
        return n;
    }

    /// <summary>Sessions ended before their time (those this caller created itself and deleted again left out).</summary>
    private void CountRevoked(int count) => Auth.Metrics.RecordRevoked(count, ctx.Operation);

    private async Task<int> DeleteCachedSessionAsync(ISessionCache cache, string token)
    {
        // Dropped before too, so an unreachable cache fails the revocation before the row is gone rather than
        // leaving a cached copy alive; and after, so no reader can have put it back in between.
        await cache.ForgetAsync([token]);
        var n = await Db.Sessions.Where(s => s.Token == token).ExecuteDeleteAsync();
        await ForgetNowAndAfterTransactionAsync(() => cache.ForgetAsync([token]));
        return n;
    }

    /// <summary>
    /// With a cache: deletes exactly the rows whose tokens were read first (a session created meanwhile is not
    /// deleted unseen, so none can stay cached after its row is gone), dropping their entries before and after.
    /// </summary>
    private async Task<int> DeleteCachedSessionsAsync(ISessionCache cache, string userId, IQueryable<Session> rows)
    {
        var tokens = await rows.Select(s => s.Token).ToListAsync();
        await cache.ForgetUserAsync(userId, tokens);
        var n = tokens.Count == 0 ? 0 : await Db.Sessions.Where(s => tokens.Contains(s.Token)).ExecuteDeleteAsync();
        await ForgetNowAndAfterTransactionAsync(() => cache.ForgetUserAsync(userId, tokens));
        return n;
    }

    /// <summary>
    /// Drops cache entries now and, inside a transaction, once more when it ends: until the commit other connections
    /// still read the old rows, and a reader could have cached them again in between.
    /// </summary>
    private async Task ForgetNowAndAfterTransactionAsync(Func<Task> forget)
    {
        await forget();
        if (Db.Database.CurrentTransaction is not null) Db.AfterTransaction.Add(forget);
    }

    private Task<List<string>> SessionTokensAsync(string userId) =>
        Db.Sessions.Where(s => s.UserId == userId).Select(s => s.Token).ToListAsync();

    /// <summary>Deletes a user with their sessions and accounts in one transaction, after plugins cleaned up their rows.</summary>
    public async Task DeleteUserAsync(User user)
    {
        var tokens = Cache is null ? [] : await SessionTokensAsync(user.Id);
        if (Cache is not null) await Cache.ForgetUserAsync(user.Id, tokens);
        await DeleteUserRowsAsync(user);
        // A session created after the tokens were read, and cached since, is listed under the user by the cache.
        if (Cache is not null) await Cache.ForgetUserAsync(user.Id, tokens);
        ctx.Raise(new UserDeletedEvent(user));
    }

    private async Task DeleteUserRowsAsync(User user)
    {
        await using var tx = await Db.Database.BeginTransactionAsync();
        foreach (var l in ctx.Lifecycles) await l.OnUserDeletingAsync(ctx, user);
        var sessions = await Db.Sessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync();
        await Db.Accounts.Where(a => a.UserId == user.Id).ExecuteDeleteAsync();
        await Db.Users.Where(u => u.Id == user.Id).ExecuteDeleteAsync();
        await tx.CommitAsync();
        CountRevoked(sessions);
    }

    // ---- verification values (tokens, OTPs, OAuth state) ------------------------------------------

    /// <summary>Stores a verification value under an identifier until it expires.</summary>
    public async Task<Verification> CreateVerificationAsync(string identifier, string value, DateTime expiresAt)
    {
        var now = Auth.Now;
        var row = new Verification { Id = RandomStrings.Id(), Identifier = identifier, Value = value, ExpiresAt = expiresAt, CreatedAt = now, UpdatedAt = now };
        Db.Verifications.Add(row);
        await SaveAsync();
        Db.Entry(row).State = EntityState.Detached;
        return row;
    }

    /// <summary>
    /// Inserts a verification row whose id the caller derived from what it claims (a used TOTP step); false when a row
    /// with that id exists: of two concurrent claims, the primary key lets one through.
    /// </summary>
    internal async Task<bool> TryCreateVerificationAsync(Verification row)
    {
        Db.Verifications.Add(row);
        try
        {
            await Db.SaveChangesAsync();
            return true;
        }
        catch (DbUpdateException e) when (UniqueViolationException.Matches(e))
        {
            return false;
        }
        finally
        {
            Db.Entry(row).State = EntityState.Detached;
        }
    }

    /// <summary>The verification rows of an identifier that have not expired (no sweep).</summary>
    internal Task<List<Verification>> LiveVerificationsAsync(string identifier)
    {
        var now = Auth.Now;
        return Db.Verifications.AsNoTracking().Where(v => v.Identifier == identifier && v.ExpiresAt >= now).ToListAsync(Aborted);
    }

    /// <summary>The newest row for an identifier, expired or not; expired rows of every identifier are swept as a side effect, as Better Auth does.</summary>
    public async Task<Verification?> FindVerificationAsync(string identifier)
    {
        var now = Auth.Now;
        // Read before sweeping, as Better Auth does, so callers can tell an expired code from a missing one.
        var row = await Db.Verifications.AsNoTracking().Where(v => v.Identifier == identifier)
            .OrderByDescending(v => v.CreatedAt).FirstOrDefaultAsync(Aborted);
        await Db.Verifications.Where(v => v.ExpiresAt < now).ExecuteDeleteAsync();
        return row;
    }

    /// <summary>
    /// Takes a live verification row for single use: only the request whose DELETE removes the row gets it, so
    /// concurrent uses of one token or code cannot both succeed.
    /// </summary>
    public async Task<Verification?> ConsumeVerificationAsync(string identifier)
    {
        var row = await FindVerificationAsync(identifier);
        if (row is null || row.ExpiresAt < Auth.Now) return null;
        return await DeleteVerificationAsync(row.Id) == 1 ? row : null;
    }

    /// <summary>Deletes a verification row by id.</summary>
    public Task<int> DeleteVerificationAsync(string id) => Db.Verifications.Where(v => v.Id == id).ExecuteDeleteAsync();

    /// <summary>Replaces a verification row's value.</summary>
    public Task<int> UpdateVerificationValueAsync(string id, string value) =>
        Db.Verifications.Where(v => v.Id == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Value, value).SetProperty(v => v.UpdatedAt, Auth.Now));

    /// <summary>Deletes every verification row of an identifier.</summary>
    public Task<int> DeleteVerificationsAsync(string identifier) =>
        Db.Verifications.Where(v => v.Identifier == identifier).ExecuteDeleteAsync();

    // ---- helpers ----------------------------------------------------------------------------------

    /// <summary>Runs <paramref name="work"/> in the caller's transaction, or in one of its own committed at the end.</summary>
    private async Task<T> InTransactionAsync<T>(Func<Task<T>> work)
    {
        if (Db.Database.CurrentTransaction is not null) return await work();
        await using var tx = await Db.Database.BeginTransactionAsync();
        var result = await work();
        await tx.CommitAsync();
        return result;
    }

    private async Task SaveAsync()
    {
        try
        {
            await Db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (UniqueViolationException.Matches(e))
        {
            Db.ChangeTracker.Clear();
            throw new UniqueViolationException(e);
        }
    }
}

/// <summary>A write refused by a unique index (a taken email, username, phone number, slug...).</summary>
public sealed class UniqueViolationException(Exception inner) : Exception("A unique constraint was violated.", inner)
{
    internal static bool Matches(DbUpdateException e) => e.InnerException is DbException db &&
        (db.SqlState == "23505" || db.Message.Contains("UNIQUE constraint failed", StringComparison.Ordinal));
}
