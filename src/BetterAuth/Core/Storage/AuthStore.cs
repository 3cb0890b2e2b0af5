using System.Data.Common;
using BetterAuth.Core.Crypto;
using BetterAuth.Core.Http;
using Microsoft.EntityFrameworkCore;

namespace BetterAuth.Core.Storage;

/// <summary>
/// Better Auth's internal adapter: the reads and writes core flows make, with the lifecycle hooks plugins
/// registered run around them. Every multi-row write happens in one SaveChanges (one transaction).
/// </summary>
public sealed class AuthStore(AuthContext ctx)
{
    private AuthDbContext Db => ctx.Db;
    private AuthRuntime Auth => ctx.Auth;

    // ---- users ------------------------------------------------------------------------------------

    public Task<User?> FindUserByEmailAsync(string email) =>
        Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email.ToLowerInvariant());

    public Task<User?> FindUserByIdAsync(string id) =>
        Db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id);

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
        foreach (var l in Auth.Registry.Lifecycles) await l.OnUserCreatingAsync(ctx, user);
        Db.Users.Add(user);
        if (account is not null)
        {
            account.UserId = user.Id;
            Db.Accounts.Add(account);
        }
        await SaveAsync();
        foreach (var l in Auth.Registry.Lifecycles) await l.OnUserCreatedAsync(ctx, user);
        return user;
    }

    /// <summary>Applies <paramref name="change"/> to the stored user and saves it; returns the updated row, or null when it is gone.</summary>
    public async Task<User?> UpdateUserAsync(string userId, Action<User> change)
    {
        var user = await Db.Users.FirstOrDefaultAsync(u => u.Id == userId);
        if (user is null) return null;
        change(user);
        await SaveAsync();
        Db.Entry(user).State = EntityState.Detached;
        return user;
    }

    // ---- accounts ---------------------------------------------------------------------------------

    public Account NewCredentialAccount(string userId, string passwordHash)
    {
        var now = Auth.Now;
        return new Account
        {
            Id = RandomStrings.Id(), AccountId = userId, ProviderId = Account.CredentialProvider, UserId = userId,
            Password = passwordHash, CreatedAt = now, UpdatedAt = now,
        };
    }

    public Task<List<Account>> FindAccountsAsync(string userId) =>
        Db.Accounts.AsNoTracking().Where(a => a.UserId == userId).ToListAsync();

    public Task<Account?> FindCredentialAccountAsync(string userId) =>
        Db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId && a.ProviderId == Account.CredentialProvider && a.Password != null);

    /// <summary>Sets the user's credential password, creating the credential account when they have none (reset flows).</summary>
    public async Task SetPasswordAsync(string userId, string passwordHash)
    {
        var account = await Db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId && a.ProviderId == Account.CredentialProvider);
        if (account is null)
        {
            Db.Accounts.Add(NewCredentialAccount(userId, passwordHash));
            await SaveAsync();
            Db.ChangeTracker.Clear();
        }
        else await UpdatePasswordAsync(account.Id, passwordHash);
    }

    public Task<int> UpdatePasswordAsync(string accountId, string passwordHash)
    {
        var now = Auth.Now;
        return Db.Accounts.Where(a => a.Id == accountId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Password, passwordHash).SetProperty(a => a.UpdatedAt, now));
    }

    // ---- sessions ---------------------------------------------------------------------------------

    /// <summary>Creates a session row (7 days, or 1 day when the user is not remembered) after the lifecycle hooks accept it.</summary>
    public async Task<Session> CreateSessionAsync(string userId, bool dontRemember = false, Action<Session>? customize = null)
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
            IpAddress = Auth.Options.Advanced.IpAddress.DisableIpTracking ? "" : ctx.ClientIp ?? "",
            UserAgent = ctx.Http.Request.Headers.UserAgent.ToString(),
        };
        foreach (var f in Auth.Registry.Schema.SessionFields) session[f.Name] = f.CreateDefault;
        customize?.Invoke(session);
        foreach (var l in Auth.Registry.Lifecycles) await l.OnSessionCreatingAsync(ctx, session);
        Db.Sessions.Add(session);
        await SaveAsync();
        Db.Entry(session).State = EntityState.Detached;
        foreach (var l in Auth.Registry.Lifecycles) await l.OnSessionCreatedAsync(ctx, session);
        return session;
    }

    /// <summary>The session with this token and its user, in one query.</summary>
    public Task<SessionWithUser?> FindSessionAsync(string token) =>
        Auth.Reader.FindSessionAsync(Db, token, ctx.Http.RequestAborted);

    /// <summary>Moves the expiry forward; false when the row was deleted meanwhile.</summary>
    public async Task<bool> ExtendSessionAsync(Session session, DateTime expiresAt, DateTime now)
    {
        var n = await Db.Sessions.Where(s => s.Token == session.Token)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, expiresAt).SetProperty(x => x.UpdatedAt, now));
        if (n == 0) return false;
        session.ExpiresAt = expiresAt;
        session.UpdatedAt = now;
        return true;
    }

    public Task<List<Session>> ListSessionsAsync(string userId) =>
        Db.Sessions.AsNoTracking().Where(s => s.UserId == userId).ToListAsync();

    public Task<int> DeleteSessionAsync(string token) =>
        Db.Sessions.Where(s => s.Token == token).ExecuteDeleteAsync();

    public Task<int> DeleteSessionsAsync(string userId) =>
        Db.Sessions.Where(s => s.UserId == userId).ExecuteDeleteAsync();

    /// <summary>Deletes the user's other sessions that have not expired (revoke-other-sessions).</summary>
    public Task<int> DeleteOtherSessionsAsync(string userId, string keepToken, DateTime now) =>
        Db.Sessions.Where(s => s.UserId == userId && s.Token != keepToken && s.ExpiresAt > now).ExecuteDeleteAsync();

    /// <summary>Deletes a user with their sessions and accounts in one transaction, after plugins cleaned up their rows.</summary>
    public async Task DeleteUserAsync(User user)
    {
        await using var tx = await Db.Database.BeginTransactionAsync();
        foreach (var l in Auth.Registry.Lifecycles) await l.OnUserDeletingAsync(ctx, user);
        await Db.Sessions.Where(s => s.UserId == user.Id).ExecuteDeleteAsync();
        await Db.Accounts.Where(a => a.UserId == user.Id).ExecuteDeleteAsync();
        await Db.Users.Where(u => u.Id == user.Id).ExecuteDeleteAsync();
        await tx.CommitAsync();
    }

    // ---- verification values (tokens, OTPs, OAuth state) ------------------------------------------

    public async Task<Verification> CreateVerificationAsync(string identifier, string value, DateTime expiresAt)
    {
        var now = Auth.Now;
        var row = new Verification { Id = RandomStrings.Id(), Identifier = identifier, Value = value, ExpiresAt = expiresAt, CreatedAt = now, UpdatedAt = now };
        Db.Verifications.Add(row);
        await SaveAsync();
        Db.Entry(row).State = EntityState.Detached;
        return row;
    }

    /// <summary>The newest row for an identifier, expired or not; expired rows of every identifier are swept as a side effect, as Better Auth does.</summary>
    public async Task<Verification?> FindVerificationAsync(string identifier)
    {
        var now = Auth.Now;
        // Read before sweeping, as Better Auth does, so callers can tell an expired code from a missing one.
        var row = await Db.Verifications.AsNoTracking().Where(v => v.Identifier == identifier)
            .OrderByDescending(v => v.CreatedAt).FirstOrDefaultAsync();
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

    public Task<int> DeleteVerificationAsync(string id) => Db.Verifications.Where(v => v.Id == id).ExecuteDeleteAsync();

    public Task<int> UpdateVerificationValueAsync(string id, string value) =>
        Db.Verifications.Where(v => v.Id == id).ExecuteUpdateAsync(s => s.SetProperty(v => v.Value, value).SetProperty(v => v.UpdatedAt, Auth.Now));

    public Task<int> DeleteVerificationsAsync(string identifier) =>
        Db.Verifications.Where(v => v.Identifier == identifier).ExecuteDeleteAsync();

    // ---- helpers ----------------------------------------------------------------------------------

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
