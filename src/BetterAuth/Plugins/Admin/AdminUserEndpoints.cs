using System.Text.Json;
using BetterAuth.Core.Errors;
using BetterAuth.Core.Http;
using BetterAuth.Core.Json;
using BetterAuth.Core.Storage;
using BetterAuth.Core.Telemetry;
using BetterAuth.Core.Users;
using Microsoft.EntityFrameworkCore;
using static BetterAuth.Core.Http.ApiFields;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// The admin endpoints that manage users: set-role, create-user, list-users, ban, unban, remove-user and
/// set-user-password. Each validates its body first, then needs a session (401 empty) and the permission (403).
/// </summary>
internal sealed class AdminUserEndpoints(AdminOptions options, AdminAccess access)
{
    public IEnumerable<AuthEndpoint> All() =>
    [
        AuthEndpoint.Post("/admin/set-role", SetRole) with
        {
            OperationId = "setRole", Summary = "Set the role of a user",
            Body = [Field("role", ApiSchema.StringOrStrings, "The role, or roles, to give the user").Required(),
                Str("userId", "The user id").Required()],
            Response = Returns("User role updated", Model("user", "User")),
        },
        AuthEndpoint.Post("/admin/create-user", CreateUser) with
        {
            OperationId = "createUser", Summary = "Create a new user",
            Body = [Str("email", "The email of the user").Required(), Str("name", "The name of the user").Required(),
                Str("password", "The password of the user").Required(), AnyObject("data", "Other user fields to set"),
                Field("role", ApiSchema.StringOrStrings, "The role, or roles, of the user")],
            Response = Returns("User created", Model("user", "User")),
        },
        AuthEndpoint.Get("/admin/list-users", ListUsers) with
        {
            OperationId = "listUsers", Summary = "List users",
            Query = [Str("searchValue", "The value to search for"),
                Field("searchField", ApiSchema.OneOfValues("email", "name"), "The field to search in, defaults to email. Can be `email` or `name`"),
                Field("searchOperator", ApiSchema.OneOfValues("contains", "starts_with", "ends_with"), "The operator to use for the search. Can be `contains`, `starts_with` or `ends_with`"),
                Field("limit", ApiSchema.Either(ApiSchema.String, ApiSchema.Number), "The number of users to return"),
                Field("offset", ApiSchema.Either(ApiSchema.String, ApiSchema.Number), "The offset to start from"),
                Str("sortBy", "The field to sort by"), Field("sortDirection", ApiSchema.OneOfValues("asc", "desc"), "The direction to sort by"),
                Str("filterField", "The field to filter by"),
                Field("filterValue", ApiSchema.Either(ApiSchema.String, ApiSchema.Number, ApiSchema.Boolean), "The value to filter by"),
                Field("filterOperator", ApiSchema.OneOfValues("eq", "ne", "lt", "lte", "gt", "gte", "contains"), "The operator to use for the filter")],
            Response = Returns("List of users", Num("total").Required(), Models("users", "User").Required(), Num("limit"), Num("offset")),
        },
        AuthEndpoint.Post("/admin/ban-user", BanUser) with
        {
            OperationId = "banUser", Summary = "Ban a user",
            Body = [Str("userId", "The user id").Required(), Num("banExpiresIn", "The number of seconds until the ban expires"),
                Str("banReason", "The reason for the ban")],
            Response = Returns("User banned", Model("user", "User")),
        },
        AuthEndpoint.Post("/admin/unban-user", UnbanUser) with
        {
            OperationId = "unbanUser", Summary = "Unban a user",
            Body = [Str("userId", "The user id").Required()],
            Response = Returns("User unbanned", Model("user", "User")),
        },
        AuthEndpoint.Post("/admin/remove-user", RemoveUser) with
        {
            OperationId = "removeUser", Summary = "Remove a user",
            Description = "Delete a user and all their sessions and accounts. Cannot be undone.",
            Body = [Str("userId", "The user id").Required()],
            Response = Returns("User removed", Bool("success")),
        },
        AuthEndpoint.Post("/admin/set-user-password", SetUserPassword) with
        {
            OperationId = "setUserPassword", Summary = "Set a user's password",
            Body = [Str("newPassword", "The new password").Required(), Str("userId", "The user id").Required()],
            Response = Returns("Password set", Bool("status")),
        },
    ];

    /// <summary>POST /admin/set-role {userId, role|role[]} → {user}, or {user:null} for an unknown id.</summary>
    private async ValueTask<AuthResult> SetRole(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var userId = body.CoercedString("userId");
        var role = body.Roles("role", Presence.Required)!;
        var admin = await AdminGuard.RequireAsync(ctx, access, "user", "set-role", AdminErrors.NotAllowedToChangeRole);
        var user = await ctx.Store.UpdateUserAsync(userId, u => u[AdminFields.Role] = role);
        if (user is not null) SecurityLog.RoleChanged(ctx.Auth.SecurityLogger, user.Id, role, admin.User.Id, ctx.ClientIp);
        return AuthResult.Json(new AdminUserResponse(user));
    }

    /// <summary>
    /// POST /admin/create-user {email, password, name, role?, data?}: the user (role given, else the default role) and
    /// its credential account, written in one transaction. <c>data</c> may set what <see cref="AdminUserData"/> lists.
    /// A role (top-level or in <c>data</c>) needs <c>user:set-role</c> and ban columns <c>user:ban</c>, as later Better
    /// Auth requires, so <c>user:create</c> alone cannot mint an admin.
    /// </summary>
    private async ValueTask<AuthResult> CreateUser(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var email = body.RequiredString("email");
        var password = body.RequiredString("password");
        var name = body.RequiredString("name");
        var role = body.Roles("role", Presence.Optional);
        var data = body.Object("data", Presence.Optional);
        if (data is { } given) role ??= new BodyFields(given).Roles(AdminFields.Role, Presence.Optional);
        var creator = await AdminGuard.RequireAsync(ctx, access, "user", "create", AdminErrors.NotAllowedToCreateUsers);
        if (role is not null && !access.Can(creator.User, "user", "set-role"))
            throw AuthError.Forbidden(AdminErrors.NotAllowedToChangeRole);
        if (data is { } bans && AdminUserData.SetsBan(bans) && !access.Can(creator.User, "user", "ban"))
            throw AuthError.Forbidden(AdminErrors.NotAllowedToBanUsers);

        var user = ctx.Store.NewUser(email, name);
        if (data is { } extra) AdminUserData.Apply(ctx.Auth.Registry.Schema, extra, user);
        user[AdminFields.Role] = role ?? options.DefaultRole;
        // Better Auth checks neither; an unusable address or a password sign-in would refuse is refused here.
        if (!UserInput.IsValidEmail(user.Email)) throw AuthError.BadRequest(CoreErrors.InvalidEmail);
        PasswordPolicy.Check(ctx.Auth.Options.EmailAndPassword, password);
        if (await ctx.Store.FindUserByEmailAsync(user.Email) is not null) throw AuthError.BadRequest(AdminErrors.UserAlreadyExists);

        var hash = await ctx.Auth.Passwords.HashAsync(password, ctx.Http.RequestAborted);
        try
        {
            await ctx.Store.CreateUserAsync(user, ctx.Store.NewCredentialAccount(user.Id, hash));
        }
        catch (UniqueViolationException)
        {
            throw AuthError.BadRequest(AdminErrors.UserAlreadyExists);
        }
        return AuthResult.Json(new AdminUserResponse(user));
    }

    /// <summary>GET /admin/list-users: {users, total, limit?, offset?} for the query's search, filter, sort and page.</summary>
    private async ValueTask<AuthResult> ListUsers(AuthContext ctx)
    {
        var query = UserListQuery.Parse(ctx);
        await AdminGuard.RequireAsync(ctx, access, "user", "list", AdminErrors.NotAllowedToListUsers);
        var (users, total) = await query.RunAsync(ctx.Db, ctx.Http.RequestAborted);
        return AuthResult.Json(new AdminListUsersResponse(users, total, query.Limit, query.Offset));
    }

    /// <summary>
    /// POST /admin/ban-user {userId, banReason?, banExpiresIn? (seconds)}: marks the user banned and ends every
    /// session they have; sign-ins are then refused by <see cref="BanEnforcement"/>.
    /// </summary>
    private async ValueTask<AuthResult> BanUser(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var userId = body.CoercedString("userId");
        var reason = body.String("banReason", Presence.Optional);
        var expiresIn = body.Number("banExpiresIn", Presence.Optional);
        var current = await AdminGuard.RequireAsync(ctx, access, "user", "ban", AdminErrors.NotAllowedToBanUsers);
        if (userId == current.User.Id) throw AuthError.BadRequest(AdminErrors.YouCannotBanYourself);

        var now = ctx.Auth.Now;
        // A zero or absent banExpiresIn falls back to the default, as Better Auth's truthiness test does.
        var seconds = expiresIn is { } e && e != 0 ? e : options.DefaultBanExpiresIn is { } def && def != 0 ? def : (double?)null;
        DateTime? expires = seconds is { } s ? BanExpiry(now, s) : null;
        await using var tx = await ctx.Db.Database.BeginTransactionAsync(ctx.Http.RequestAborted);
        var user = await ctx.Store.UpdateUserAsync(userId, u =>
        {
            u[AdminFields.Banned] = true;
            u[AdminFields.BanReason] = string.IsNullOrEmpty(reason) ? options.DefaultBanReason is { Length: > 0 } r ? r : "No reason" : reason;
            u[AdminFields.BanExpires] = expires;
            u.UpdatedAt = now;
        });
        await ctx.Store.DeleteSessionsAsync(userId);
        await tx.CommitAsync(ctx.Http.RequestAborted);
        if (user is not null)
        {
            ctx.Raise(new UserBannedEvent(user, user.Get<string>(AdminFields.BanReason) ?? "", expires, current.User));
            SecurityLog.UserBanned(ctx.Auth.SecurityLogger, user.Id, current.User.Id, expires, ctx.ClientIp);
        }
        return AuthResult.Json(new AdminUserResponse(user));
    }

    /// <summary>POST /admin/unban-user {userId} → {user}: clears the ban, its reason and expiry.</summary>
    private async ValueTask<AuthResult> UnbanUser(AuthContext ctx)
    {
        var userId = BodyFields.Read(ctx).CoercedString("userId");
        var current = await AdminGuard.RequireAsync(ctx, access, "user", "ban", AdminErrors.NotAllowedToBanUsers);
        var now = ctx.Auth.Now;
        var wasBanned = false;
        var user = await ctx.Store.UpdateUserAsync(userId, u =>
        {
            wasBanned = u.Get<bool?>(AdminFields.Banned) == true;
            u[AdminFields.Banned] = false;
            u[AdminFields.BanReason] = null;
            u[AdminFields.BanExpires] = null;
            u.UpdatedAt = now;
        });
        if (user is not null && wasBanned)
        {
            ctx.Raise(new UserUnbannedEvent(user, current.User));
            SecurityLog.UserUnbanned(ctx.Auth.SecurityLogger, user.Id, current.User.Id, ctx.ClientIp);
        }
        return AuthResult.Json(new AdminUserResponse(user));
    }

    /// <summary>POST /admin/remove-user {userId}: the user, their sessions and accounts, in one transaction; {success:true} even for an unknown id.</summary>
    private async ValueTask<AuthResult> RemoveUser(AuthContext ctx)
    {
        var userId = BodyFields.Read(ctx).CoercedString("userId");
        await AdminGuard.RequireAsync(ctx, access, "user", "delete", AdminErrors.NotAllowedToDeleteUsers);
        if (await ctx.Store.FindUserByIdAsync(userId) is { } user) await ctx.Store.DeleteUserAsync(user);
        return AuthResult.Json(SuccessResponse.True);
    }

    /// <summary>
    /// POST /admin/set-user-password {userId, newPassword} → {status:true}: replaces the password of the user's
    /// credential account (a user without one is left as is, as in Better Auth). Length rules as sign-up's.
    /// </summary>
    private async ValueTask<AuthResult> SetUserPassword(AuthContext ctx)
    {
        var body = BodyFields.Read(ctx);
        var newPassword = body.RequiredString("newPassword");
        var userId = body.CoercedString("userId");
        var admin = await AdminGuard.RequireAsync(ctx, access, "user", "set-password", AdminErrors.NotAllowedToSetPassword);
        PasswordPolicy.Check(ctx.Auth.Options.EmailAndPassword, newPassword);
        var hash = await ctx.Auth.Passwords.HashAsync(newPassword, ctx.Http.RequestAborted);
        var changed = await ctx.Store.UpdateCredentialPasswordAsync(userId, hash);
        if (changed > 0) SecurityLog.PasswordSetByAdmin(ctx.Auth.SecurityLogger, userId, admin.User.Id, ctx.ClientIp);
        return AuthResult.Json(StatusResponse.True);
    }

    /// <summary>now + seconds, kept within the dates a row can hold (a huge banExpiresIn means "practically never").</summary>
    private static DateTime BanExpiry(DateTime now, double seconds)
    {
        var max = (DateTime.MaxValue - now).TotalSeconds - 1;
        var min = (DateTime.MinValue - now).TotalSeconds + 1;
        return now.AddSeconds(Math.Clamp(seconds, min, max));
    }
}
