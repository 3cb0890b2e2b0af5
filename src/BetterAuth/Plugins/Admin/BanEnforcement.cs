using BetterAuth.Core.Errors;
using BetterAuth.Core.Plugins;
using BetterAuth.Core.Storage;

namespace BetterAuth.Plugins.Admin;

/// <summary>
/// Refuses every new session of a banned user, whatever the sign-in method (email, username, OTP, social,
/// impersonation...), since all of them create sessions through the store. A ban whose expiry has passed is lifted
/// on the spot and the sign-in goes on. New users get the default role.
/// </summary>
internal sealed class BanEnforcement(AdminOptions options) : IAuthLifecycle
{
    public ValueTask OnUserCreatingAsync(AuthStoreContext ctx, User user)
    {
        // Better Auth's create hook spreads the new user over {role: defaultRole}: an explicit role (even "") wins.
        if (user[AdminFields.Role] is null) user[AdminFields.Role] = options.DefaultRole;
        return ValueTask.CompletedTask;
    }

    public async ValueTask OnSessionCreatingAsync(AuthStoreContext ctx, Session session)
    {
        var user = await ctx.Store.FindUserByIdAsync(session.UserId);
        if (user is null || user.Get<bool?>(AdminFields.Banned) != true) return;

        if (user.Get<DateTime?>(AdminFields.BanExpires) is { } expires && expires < ctx.Auth.Now)
        {
            var lifted = await ctx.Store.UpdateUserAsync(user.Id, u =>
            {
                u[AdminFields.Banned] = false;
                u[AdminFields.BanReason] = null;
                u[AdminFields.BanExpires] = null;
            });
            if (lifted is not null) ctx.Raise(new UserUnbannedEvent(lifted, null));
            return;
        }
        // OAuth /callback routes turn this refusal into their error-page redirect (Better Auth: ?error=banned&error_description=...).
        throw new AuthError(403, options.BannedUserMessage, AdminErrors.BannedUserCode);
    }
}
